// Package intltest runs gnode's Intl (lib/internal/intl.js) inside QuickJS,
// the engine gnode ships, and compares its output with Node's Intl on the
// same expressions. intl.test.js checks the formatting logic in depth under
// node; this test proves the library works on the engine (RegExp \p{...},
// String.prototype.normalize, WeakMap, getters) and gives the same answers.
package intltest

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"gnode/internal/js/qjs"
)

func expressions() []string {
	locs := []string{"en-US", "en-GB", "de-DE", "fr-FR", "es-ES", "ja-JP"}
	var ex []string
	for _, l := range locs {
		q := fmt.Sprintf("%q", l)
		ex = append(ex,
			`(1234567.891).toLocaleString(`+q+`)`,
			`(-0.5).toLocaleString(`+q+`, { style: 'percent' })`,
			`(1234.5).toLocaleString(`+q+`, { style: 'currency', currency: 'USD' })`,
			`(1234.5).toLocaleString(`+q+`, { style: 'currency', currency: 'EUR' })`,
			`(1234.5).toLocaleString(`+q+`, { style: 'currency', currency: 'JPY' })`,
			`(1234.5).toLocaleString(`+q+`, { style: 'currency', currency: 'GBP', currencyDisplay: 'code' })`,
			`(1.005).toLocaleString(`+q+`, { maximumFractionDigits: 2 })`,
			`(1234567).toLocaleString(`+q+`, { notation: 'compact' })`,
			`(1234567).toLocaleString(`+q+`, { notation: 'compact', compactDisplay: 'long' })`,
			`(12345678901234567890n).toLocaleString(`+q+`)`,
			`new Intl.NumberFormat(`+q+`, { style: 'currency', currency: 'EUR' }).formatToParts(-1234.56)`,
			`new Intl.NumberFormat(`+q+`).resolvedOptions()`,
			`new Date(Date.UTC(2026, 2, 4, 21, 5, 7)).toLocaleString(`+q+`, { timeZone: 'UTC' })`,
			`new Date(Date.UTC(2026, 2, 4, 21, 5, 7)).toLocaleDateString(`+q+`, { timeZone: 'UTC', dateStyle: 'full' })`,
			`new Date(Date.UTC(2026, 2, 4, 21, 5, 7)).toLocaleTimeString(`+q+`, { timeZone: 'UTC', timeStyle: 'long' })`,
			`new Date(Date.UTC(1999, 11, 31, 9, 5)).toLocaleDateString(`+q+`, { timeZone: 'UTC', weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' })`,
			`new Date(Date.UTC(1999, 11, 31, 9, 5)).toLocaleString(`+q+`, { timeZone: 'UTC', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' })`,
			`new Intl.DateTimeFormat(`+q+`, { timeZone: 'UTC', hour: 'numeric', minute: 'numeric', hour12: true }).formatToParts(Date.UTC(2026, 0, 1, 0, 7))`,
			`new Intl.DateTimeFormat(`+q+`, { timeZone: 'UTC', dateStyle: 'medium', timeStyle: 'short' }).resolvedOptions()`,
			`['b', 'a', 'B', 'á', 'ä', 'z', 'Z', 'ñ', 'n', 'o', '10', '9', 'a-b', 'ab'].sort(new Intl.Collator(`+q+`).compare)`,
			`['x10', 'x9', 'x1'].sort(new Intl.Collator(`+q+`, { numeric: true }).compare)`,
			`'résumé'.localeCompare('resume', `+q+`, { sensitivity: 'base' })`,
			`[0, 1, 2, 3, 11, 22, 1.5, 1000000].map((n) => new Intl.PluralRules(`+q+`).select(n) + '/' + new Intl.PluralRules(`+q+`, { type: 'ordinal' }).select(n))`,
			`[-1, 0, 1, 3].map((n) => new Intl.RelativeTimeFormat(`+q+`, { numeric: 'auto' }).format(n, 'day'))`,
			`new Intl.RelativeTimeFormat(`+q+`, { style: 'short' }).format(-5, 'minutes')`,
			`new Intl.ListFormat(`+q+`).format(['a', 'b', 'c'])`,
			`[1, 1.5, 1024].map((n) => n.toLocaleString(`+q+`, { style: 'unit', unit: 'megabyte', unitDisplay: 'long' }))`,
			`new Intl.NumberFormat(`+q+`, { style: 'unit', unit: 'kilometer-per-hour' }).formatToParts(-88.5)`,
			`new Intl.ListFormat(`+q+`, { type: 'disjunction' }).format(['a', 'b'])`,
		)
	}
	ex = append(ex,
		`Intl.NumberFormat.supportedLocalesOf(['de-DE', 'xx', 'ja'])`,
		`Intl.getCanonicalLocales('EN-us')`,
		`Object.prototype.toString.call(Intl)`,
		`new Date(NaN).toLocaleString()`,
		`new Date(Date.UTC(2026, 6, 4, 16)).toLocaleString('en-US', { timeZone: 'America/New_York', timeZoneName: 'short' })`,
		`new Date(Date.UTC(2026, 0, 4, 16)).toLocaleString('de-DE', { timeZone: 'Europe/Berlin', dateStyle: 'full', timeStyle: 'full' })`,
		`new Date(Date.UTC(2026, 0, 4, 16)).toLocaleString('en-GB', { timeZone: 'Australia/Sydney', timeZoneName: 'long' })`,
		`[...new Intl.Segmenter().segment('e\u0301👨‍👩‍👧‍👦🇫🇷한국어नमस्ते\r\n')].map((s) => s.segment)`,
		`[...new Intl.Segmenter('en', { granularity: 'word' }).segment("It's 3.14, don't panic!")].map((s) => [s.segment, s.isWordLike])`,
		`[...new Intl.Segmenter('en', { granularity: 'sentence' }).segment('Hi. How? Mr. Smith e.g. ok.')].map((s) => s.segment)`,
		`[1, 22, 333].map(new Intl.NumberFormat('de').format)`,
		`(() => { try { new Intl.NumberFormat('en', { style: 'currency' }); } catch (e) { return e.constructor.name; } })()`,
		`(() => { try { new Intl.DateTimeFormat('en', { timeZone: 'Nowhere/Land' }); } catch (e) { return e.constructor.name; } })()`,
	)
	return ex
}

// runner is the script both engines run: it evaluates every expression
// and returns the JSON of the results (errors as "throws <name>").
const runner = `(function (exprs) {
  return JSON.stringify(exprs.map(function (e) {
    try { return (0, eval)(e); } catch (err) { return 'throws ' + err.name + ': ' + err.message; }
  }));
})`

func TestIntlOnQuickJS(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not installed: skipping the QuickJS Intl comparison")
	}
	src, err := os.ReadFile(filepath.Join("..", "..", "lib", "internal", "intl.js"))
	if err != nil {
		t.Fatal(err)
	}
	exprs := expressions()
	exJSON, _ := json.Marshal(exprs)
	call := runner + "(" + string(exJSON) + ")"

	cmd := exec.Command(node, "-e", "process.stdout.write("+call+")")
	cmd.Env = append(os.Environ(), "TZ=UTC")
	want, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v", err)
	}

	vm, err := qjs.New(qjs.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer vm.Close()
	boot := "var module = { exports: {} };\n(function (exports, require, module, internalBinding) {\n" + string(src) +
		"\n})(module.exports, function (id) { throw new Error('intl.js must not require ' + id); }, module, function () { throw new Error('no bindings'); });\n" +
		"module.exports.install(globalThis, { timeZone: 'UTC' }); undefined;"
	v, err := vm.Eval(boot, "intl-boot.js", qjs.Script)
	if err != nil {
		t.Fatalf("loading intl.js in QuickJS: %v", err)
	}
	vm.Free(v)
	res, err := vm.Eval(call, "intl-cases.js", qjs.Script)
	if err != nil {
		t.Fatalf("running cases in QuickJS: %v", err)
	}
	got, err := vm.ToString(res)
	vm.Free(res)
	if err != nil {
		t.Fatal(err)
	}
	var g, w []any
	if err := json.Unmarshal([]byte(got), &g); err != nil {
		t.Fatalf("quickjs output: %v\n%s", err, got)
	}
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatalf("node output: %v\n%s", err, want)
	}
	mismatches := 0
	for i := range exprs {
		gs, _ := json.Marshal(g[i])
		ws, _ := json.Marshal(w[i])
		if string(gs) != string(ws) {
			mismatches++
			t.Errorf("%s\n quickjs: %s\n node:    %s", exprs[i], gs, ws)
		}
	}
	t.Logf("intl on QuickJS: %d expressions compared with node, %d mismatches", len(exprs), mismatches)
	if strings.TrimSpace(got) == "" {
		t.Fatal("empty output")
	}
}
