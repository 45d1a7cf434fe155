package sigstore

import (
	"crypto/x509"
	"encoding/asn1"
	"strconv"
)

// Summary is the identity a Fulcio certificate vouches for: the OIDC
// issuer and the CI build's source repository and workflow (Fulcio's
// extensions under 1.3.6.1.4.1.57264.1).
type Summary struct {
	Issuer                   string
	SubjectAlternativeName   string
	SourceRepositoryURI      string
	SourceRepositoryDigest   string
	SourceRepositoryRef      string
	BuildConfigURI           string
	BuildTrigger             string
	RunInvocationURI         string
	GithubWorkflowTrigger    string
	GithubWorkflowSHA        string
	GithubWorkflowRepository string
	GithubWorkflowRef        string
}

func summarize(c *x509.Certificate) (*Summary, error) {
	s := &Summary{}
	if len(c.URIs) > 0 {
		s.SubjectAlternativeName = c.URIs[0].String()
	} else if len(c.EmailAddresses) > 0 {
		s.SubjectAlternativeName = c.EmailAddresses[0]
	}
	prefix := asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 57264, 1}
	for _, e := range c.Extensions {
		if len(e.Id) != len(prefix)+1 || !e.Id[:len(prefix)].Equal(prefix) {
			continue
		}
		n := e.Id[len(prefix)]
		// Extensions 1-6 hold raw text; 8 and later a DER UTF8String.
		v := string(e.Value)
		if n >= 8 {
			var str string
			if _, err := asn1.UnmarshalWithParams(e.Value, &str, "utf8"); err != nil {
				return nil, &extError{n}
			}
			v = str
		}
		switch n {
		case 1:
			if s.Issuer == "" {
				s.Issuer = v
			}
		case 2:
			s.GithubWorkflowTrigger = v
		case 3:
			s.GithubWorkflowSHA = v
		case 5:
			s.GithubWorkflowRepository = v
		case 6:
			s.GithubWorkflowRef = v
		case 8:
			s.Issuer = v
		case 12:
			s.SourceRepositoryURI = v
		case 13:
			s.SourceRepositoryDigest = v
		case 14:
			s.SourceRepositoryRef = v
		case 18:
			s.BuildConfigURI = v
		case 20:
			s.BuildTrigger = v
		case 21:
			s.RunInvocationURI = v
		}
	}
	return s, nil
}

type extError struct{ n int }

func (e *extError) Error() string {
	return "signing certificate: Fulcio extension 1.3.6.1.4.1.57264.1." + strconv.Itoa(e.n) + " is not a UTF-8 string"
}
