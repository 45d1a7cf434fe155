// Differential oracle: answers a JSON batch of semver questions with the
// real node-semver (path in argv[2]) so the Go tests can compare.
'use strict'
const semver = require(process.argv[2])
const chunks = []
process.stdin.on('data', (c) => chunks.push(c))
process.stdin.on('end', () => {
  const q = JSON.parse(Buffer.concat(chunks).toString('utf8'))
  const opts = (o) => ({ loose: !!o.loose, includePrerelease: !!o.includePrerelease })
  const out = {}
  out.valid = q.versions.map((v) => [semver.valid(v), semver.valid(v, true)])
  out.validRange = q.ranges.map((r) => q.options.map((o) => semver.validRange(r, opts(o))))
  out.satisfies = q.satisfies.map(([v, r, o]) => semver.satisfies(v, r, opts(q.options[o])))
  out.compare = q.compare.map(([a, b, loose]) => semver.compare(a, b, loose))
  out.max = q.max.map(([vs, r, o]) => [
    semver.maxSatisfying(vs, r, opts(q.options[o])),
    semver.minSatisfying(vs, r, opts(q.options[o])),
  ])
  out.intersects = q.intersects.map(([a, b, o]) => {
    try {
      return semver.intersects(a, b, opts(q.options[o]))
    } catch (e) {
      return 'error'
    }
  })
  out.subset = q.subset.map(([a, b, o]) => {
    try {
      return semver.subset(a, b, opts(q.options[o]))
    } catch (e) {
      return 'error'
    }
  })
  process.stdout.write(JSON.stringify(out))
})
