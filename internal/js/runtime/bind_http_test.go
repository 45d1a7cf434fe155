package runtime

import (
	"strings"
	"testing"

	"gnode/internal/js/qjs"
)

// TestCloneShaped checks the engine adapter behind tcp.cloneShaped is
// active and that a clone is an ordinary object: same prototype, same own
// properties in the same order with the template's values (the first ones
// replaced), independent of the template afterwards, and freed without a
// leak when the VM closes. Templates it must refuse return undefined.
func TestCloneShaped(t *testing.T) {
	if !engineOK {
		t.Fatal("the cloneShaped engine adapter is off: HTTP requests and responses take the slow constructor path")
	}
	vm, err := qjs.New(qjs.Options{})
	if err != nil {
		t.Fatal(err)
	}
	stage := make([]qjs.Value, maxClonedProps)
	g := vm.Global()
	vm.SetFunc(g, "clone", 0, func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		return cloneShaped(vm, stage, qjs.Arg(a, 0), a[min(1, len(a)):]), nil
	})
	vm.Free(g)
	v, err := vm.Eval(`
		const out = [];
		function P() {}
		P.prototype.greet = function () { return 'hi ' + this.name; };
		const tpl = Object.create(P.prototype);
		tpl.name = null; tpl.n = 0; tpl.s = 'str'; tpl.o = null; tpl[Symbol.for('k')] = 1; tpl.big = 2 ** 40;
		const a = clone(tpl, 'ann', 7);
		const b = clone(tpl, 'bob', 8, 'other', { x: 1 });
		out.push(Object.getPrototypeOf(a) === P.prototype, a instanceof P, a.greet(), b.greet());
		out.push(JSON.stringify(Reflect.ownKeys(a).map(String)), JSON.stringify(a), JSON.stringify(b));
		a.n = 99; a.extra = true; delete a.s;
		out.push(tpl.n, tpl.s, 'extra' in tpl, b.n, JSON.stringify(Object.keys(a)));
		out.push(Object.isExtensible(a), a[Symbol.for('k')], a.big);
		// Refused: accessors, too many arguments, deleted slots, non-plain objects.
		const acc = Object.create(null); Object.defineProperty(acc, 'g', { get() { return 1; }, enumerable: true });
		const del = { a: 1, b: 2 }; delete del.a;
		// setPrototypeOf leaves an object alone with its shape unhashed,
		// which the engine would then change in place: not shareable.
		const reproto = Object.create(P.prototype); reproto.q = 1; reproto.r = 2; Object.setPrototypeOf(reproto, null);
		out.push(clone(acc), clone({ a: 1 }, 1, 2), clone(del), clone([1, 2]), clone(new Map()), clone(1), clone(), clone(reproto));
		// Adding to or reconfiguring one clone leaves the others alone.
		const c1 = clone(tpl, 'c1'), c2 = clone(tpl, 'c2');
		c1.added = 1; Object.defineProperty(c1, 'n', { enumerable: false }); delete c1.o;
		out.push(JSON.stringify(Object.keys(c1)), JSON.stringify(Object.keys(c2)), JSON.stringify(Object.keys(tpl)));
		// Many clones, each freed (VM.Close reports objects left alive).
		for (let i = 0; i < 1000; i++) clone(tpl, String(i), { i });
		out.join('|');
	`, "clone.js", qjs.Script)
	if err != nil {
		t.Fatal(err)
	}
	got := vm.Str(v)
	vm.Free(v)
	want := strings.Join([]string{
		"true", "true", "hi ann", "hi bob",
		`["name","n","s","o","big","Symbol(k)"]`,
		`{"name":"ann","n":7,"s":"str","o":null,"big":1099511627776}`,
		`{"name":"bob","n":8,"s":"other","o":{"x":1},"big":1099511627776}`,
		"0", "str", "false", "8", `["name","n","o","big","extra"]`,
		"true", "1", "1099511627776",
		"", "", "", "", "", "", "", "",
		`["name","s","big","added"]`, `["name","n","s","o","big"]`, `["name","n","s","o","big"]`,
	}, "|")
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if err := vm.Close(); err != nil {
		t.Errorf("close: %v", err)
	}
}
