// Differential oracle: npm-package-arg (path in argv[2]) over a JSON list
// of [kind, a, b, where]: kind "arg" is npa(a, where), "dep" is
// npa.resolve(a, b, where).
'use strict'
const npa = require(process.argv[2])
const chunks = []
process.stdin.on('data', (c) => chunks.push(c))
process.stdin.on('end', () => {
  const cases = JSON.parse(Buffer.concat(chunks).toString('utf8'))
  const out = cases.map(([kind, a, b, where]) => {
    try {
      const r = kind === 'arg' ? npa(a, where) : npa.resolve(a, b, where)
      return {
        type: r.type,
        name: r.name || '',
        raw: r.raw,
        rawSpec: r.rawSpec,
        fetchSpec: r.fetchSpec || '',
        saveSpec: r.saveSpec || '',
        registry: !!r.registry,
        sub: r.subSpec ? `${r.subSpec.type} ${r.subSpec.name} ${r.subSpec.fetchSpec}` : '',
        string: r.toString(),
      }
    } catch (e) {
      return { error: e.code || e.message }
    }
  })
  process.stdout.write(JSON.stringify(out))
})
