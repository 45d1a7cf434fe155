// Package jsnum formats numbers as JavaScript's Number.prototype.toString
// (radix 10) does, for the Go fast paths that write JSON and query strings.
package jsnum

import (
	"bytes"
	"math"
	"strconv"
)

// Append appends String(f) for a finite f: the shortest digits that read
// back as f, in plain notation for magnitudes in [1e-7, 1e21) and as
// d.ddde±X otherwise; -0 is "0". NaN and the infinities are the caller's
// business (JSON writes null, querystring nothing).
func Append(b []byte, f float64) []byte {
	if f == 0 {
		return append(b, '0')
	}
	if f < 0 {
		b = append(b, '-')
		f = -f
	}
	if f == math.Trunc(f) && f < 1e21 {
		return strconv.AppendFloat(b, f, 'f', -1, 64)
	}
	var tmp [32]byte
	s := strconv.AppendFloat(tmp[:0], f, 'e', -1, 64) // d[.ddd]e±XX
	e := bytes.IndexByte(s, 'e')
	var digits [24]byte
	d := digits[:0]
	for _, c := range s[:e] {
		if c != '.' {
			d = append(d, c)
		}
	}
	exp, _ := strconv.Atoi(string(s[e+1:]))
	k, n := len(d), exp+1
	switch {
	case k <= n && n <= 21:
		b = append(b, d...)
		for range n - k {
			b = append(b, '0')
		}
	case 0 < n && n <= 21:
		b = append(append(append(b, d[:n]...), '.'), d[n:]...)
	case -6 < n && n <= 0:
		b = append(b, '0', '.')
		for range -n {
			b = append(b, '0')
		}
		b = append(b, d...)
	default:
		b = append(b, d[0])
		if k > 1 {
			b = append(append(b, '.'), d[1:]...)
		}
		b = append(b, 'e')
		if n-1 >= 0 {
			b = append(b, '+')
		}
		b = strconv.AppendInt(b, int64(n-1), 10)
	}
	return b
}
