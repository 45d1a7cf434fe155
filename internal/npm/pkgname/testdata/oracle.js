// Differential oracle: validate-npm-package-name (path in argv[2]) over a
// JSON array of names read from stdin.
'use strict'
const validate = require(process.argv[2])
const chunks = []
process.stdin.on('data', (c) => chunks.push(c))
process.stdin.on('end', () => {
  const names = JSON.parse(Buffer.concat(chunks).toString('utf8'))
  process.stdout.write(JSON.stringify(names.map((n) => {
    const r = validate(n)
    return [r.validForNewPackages, r.validForOldPackages, r.warnings || [], r.errors || []]
  })))
})
