// process.cpuUsage and resourceUsage report CPU time from getrusage (not wall time), with node's argument checks.
const a = process.cpuUsage(); let x = 0; for (let i = 0; i < 3e6; i++) x += i; const d = process.cpuUsage(a);
console.log(d.user > 0, d.system >= 0, typeof a.user, Object.keys(process.resourceUsage()).join());
try{process.cpuUsage(5)}catch(e){console.log(e.code, e.message)}; try{process.cpuUsage({user:"a"})}catch(e){console.log(e.code, e.message)}; try{process.cpuUsage({user:-1,system:0})}catch(e){console.log(e.code,e.message)}
const r = process.resourceUsage(); console.log(r.maxRSS > 1000, r.userCPUTime > 0);
