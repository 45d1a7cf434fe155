package install

import (
	"strconv"

	"gnode/internal/npm/packument"
)

// encodeTrustRecord is json.MarshalIndent(r, "", "  ") written out (HTML
// characters left as they are): the record is written by every install
// that lays packages out, as the last step before the lockfile, and
// encoding/json's first use of a type (reflection over its fields,
// building its encoder) cost more than the rest of that step.
// TestEncodeTrustRecord compares the two.
func encodeTrustRecord(r *TrustRecord) []byte {
	b := make([]byte, 0, 160+len(r.Decisions)*160)
	b = append(b, "{\n  \"time\": "...)
	b = packument.AppendJSONString(b, r.Time)
	b = append(b, ",\n  \"minimumReleaseAge\": "...)
	b = packument.AppendJSONString(b, r.MinimumAge)
	b = append(b, ",\n  \"strict\": "...)
	b = strconv.AppendBool(b, r.Strict)
	b = append(b, ",\n  \"minimumReleaseAgeStrict\": "...)
	b = strconv.AppendBool(b, r.ReleaseAgeStrict)
	b = append(b, ",\n  \"decisions\": "...)
	switch {
	case r.Decisions == nil:
		b = append(b, "null"...)
	case len(r.Decisions) == 0:
		b = append(b, "[]"...)
	default:
		b = append(b, '[')
		for i, d := range r.Decisions {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, "\n    {\n      \"name\": "...)
			b = packument.AppendJSONString(b, d.Name)
			b = append(b, ",\n      \"version\": "...)
			b = packument.AppendJSONString(b, d.Version)
			b = append(b, ",\n      \"rule\": "...)
			b = packument.AppendJSONString(b, d.Rule)
			b = append(b, ",\n      \"verdict\": "...)
			b = packument.AppendJSONString(b, d.Verdict)
			b = append(b, ",\n      \"detail\": "...)
			b = packument.AppendJSONString(b, d.Detail)
			b = append(b, "\n    }"...)
		}
		b = append(b, "\n  ]"...)
	}
	return append(b, "\n}"...)
}
