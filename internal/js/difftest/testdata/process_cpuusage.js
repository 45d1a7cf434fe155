// process.cpuUsage and resourceUsage report CPU time from getrusage (not wall time), with node's argument checks.
// Spin until user time advances (a short fixed loop can finish inside one accounting tick under load), capped at 5 s of wall time.
const a = process.cpuUsage(); let x = 0, d; const t0 = Date.now();
do { for (let i = 0; i < 1e5; i++) x += i; d = process.cpuUsage(a); } while (d.user === 0 && Date.now() - t0 < 5000);
console.log(d.user > 0, d.system >= 0, typeof a.user, Object.keys(process.resourceUsage()).join());
try{process.cpuUsage(5)}catch(e){console.log(e.code, e.message)}; try{process.cpuUsage({user:"a"})}catch(e){console.log(e.code, e.message)}; try{process.cpuUsage({user:-1,system:0})}catch(e){console.log(e.code,e.message)}
const r = process.resourceUsage(); console.log(r.maxRSS > 1000, r.userCPUTime > 0);
