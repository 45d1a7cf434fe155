package runtime

import "testing"

// TestCallStackDepth checks that recursion goes about as deep as in Node
// and that running out of stack, however the recursion is made, throws a
// catchable RangeError instead of aborting the process (Go kills a process
// whose goroutine stack outgrows its maximum).
func TestCallStackDepth(t *testing.T) {
	for _, tc := range []struct {
		name, src, out string
	}{
		{"plain recursion to 10000", "function f(n) { return n ? f(n - 1) + 1 : 0 }\nconsole.log(f(10000));\n", "10000\n"},
		{"depth reached is node-like", "let d = 0;\nfunction r() { d++; r(); }\ntry { r() } catch (e) { console.log(e instanceof RangeError, d > 12000) }\n", "true true\n"},
		{"infinite recursion caught", "function r() { return r() }\ntry { r() } catch (e) { console.log(e instanceof RangeError) }\nconsole.log('after');\n", "true\nafter\n"},
		{"through forEach", "function r() { [0].forEach(r) }\ntry { r() } catch (e) { console.log(e instanceof RangeError) }\n", "true\n"},
		{"through a getter", "const o = { get x() { return this.x } };\ntry { o.x } catch (e) { console.log(e instanceof RangeError) }\n", "true\n"},
		{"through bind and apply", "const b = function r() { return b.apply(null, []) }.bind(null);\ntry { b() } catch (e) { console.log(e instanceof RangeError) }\n", "true\n"},
		{"through a proxy", "function r() { return new Proxy({}, { get: r }).x }\ntry { r() } catch (e) { console.log(e instanceof RangeError) }\n", "true\n"},
		{"through a constructor", "class A { constructor() { new A() } }\ntry { new A() } catch (e) { console.log(e instanceof RangeError) }\n", "true\n"},
		{"through replace", "function r() { return 'a'.replace(/a/, r) }\ntry { r() } catch (e) { console.log(e instanceof RangeError) }\n", "true\n"},
		{"uncaught overflow exits 1", "function r() { r() }\nr();\n", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := run(t, map[string]string{"a.js": tc.src}, "a.js")
			wantCode := 0
			if tc.out == "" {
				wantCode = 1
			}
			if out != tc.out || code != wantCode {
				t.Errorf("out=%q code=%d, want %q code %d\nstderr: %s", out, code, tc.out, wantCode, errOut)
			}
		})
	}
}
