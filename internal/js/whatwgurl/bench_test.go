package whatwgurl

import "testing"

func BenchmarkParse(b *testing.B) {
	for i := 0; i < b.N; i++ {
		u, err := Parse("https://user:pw@example.com:8080/a/b/../c?x=1234#frag", nil)
		if err != nil {
			b.Fatal(err)
		}
		_ = u.Href()
	}
}
