package runtime

import (
	"strings"
	"testing"
)

// With a policy, a package reads process.env only when the policy grants
// it "env"; the app, granted packages and gnode's own code (console, os)
// read it as usual.
func TestPolicyGatesEnvPerPackage(t *testing.T) {
	files := map[string]string{"try.js": tryJS,
		"node_modules/noenv/index.js":  "module.exports = { read: () => process.env.VISIBLE, keys: () => Object.keys(process.env).length, has: () => 'VISIBLE' in process.env, set: () => { process.env.X = '1'; }, log: () => console.log('noenv logs'), home: () => require('os').homedir() };",
		"node_modules/hasenv/index.js": "module.exports = () => typeof process.env.VISIBLE;",
		"app.js": `
			const tryIt = require('./try.js');
			const noenv = require('noenv');
			tryIt('app read', () => { if (typeof process.env.VISIBLE !== 'string') throw new Error('no VISIBLE'); });
			tryIt('granted read', () => { if (require('hasenv')() !== 'string') throw new Error('no VISIBLE'); });
			tryIt('read', noenv.read);
			tryIt('keys', noenv.keys);
			tryIt('has', noenv.has);
			tryIt('set', noenv.set);
			tryIt('console through gnode', noenv.log);
			tryIt('os through gnode', noenv.home);
		`}
	out, errOut, code := runPerm(t, files, "app.js", map[string][]string{"hasenv": {"env"}}, nil)
	want := "app read ok\ngranted read ok\nread ERR_GNODE_PERMISSION noenv\nkeys ERR_GNODE_PERMISSION noenv\nhas ERR_GNODE_PERMISSION noenv\n" +
		"set ERR_GNODE_PERMISSION noenv\nnoenv logs\nconsole through gnode ok\nos through gnode ok\n"
	if out != want || code != 0 {
		t.Errorf("code %d out:\n%s\nwant:\n%s\nstderr: %s", code, out, want, errOut)
	}
	// Without a policy nothing is gated.
	out, _, _ = runPerm(t, files, "app.js", nil, nil)
	if strings.Contains(out, "ERR_GNODE_PERMISSION") {
		t.Errorf("env gated without a policy:\n%s", out)
	}
}
