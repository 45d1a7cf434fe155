'use strict';
// node:os over internalBinding('os') (see bindings/os.md).

const binding = internalBinding('os');

const signals = {
  SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGILL: 4, SIGTRAP: 5, SIGABRT: 6, SIGIOT: 6, SIGBUS: 7,
  SIGFPE: 8, SIGKILL: 9, SIGUSR1: 10, SIGSEGV: 11, SIGUSR2: 12, SIGPIPE: 13, SIGALRM: 14,
  SIGTERM: 15, SIGCHLD: 17, SIGSTKFLT: 16, SIGCONT: 18, SIGSTOP: 19, SIGTSTP: 20, SIGTTIN: 21,
  SIGTTOU: 22, SIGURG: 23, SIGXCPU: 24, SIGXFSZ: 25, SIGVTALRM: 26, SIGPROF: 27, SIGWINCH: 28,
  SIGIO: 29, SIGPOLL: 29, SIGPWR: 30, SIGSYS: 31,
};
const errno = {
  E2BIG: 7, EACCES: 13, EADDRINUSE: 98, EADDRNOTAVAIL: 99, EAFNOSUPPORT: 97, EAGAIN: 11,
  EALREADY: 114, EBADF: 9, EBUSY: 16, ECANCELED: 125, ECHILD: 10, ECONNABORTED: 103,
  ECONNREFUSED: 111, ECONNRESET: 104, EDEADLK: 35, EDESTADDRREQ: 89, EDOM: 33, EEXIST: 17,
  EFAULT: 14, EFBIG: 27, EHOSTUNREACH: 113, EINTR: 4, EINVAL: 22, EIO: 5, EISCONN: 106,
  EISDIR: 21, ELOOP: 40, EMFILE: 24, EMLINK: 31, EMSGSIZE: 90, ENAMETOOLONG: 36, ENETDOWN: 100,
  ENETRESET: 102, ENETUNREACH: 101, ENFILE: 23, ENOBUFS: 105, ENODEV: 19, ENOENT: 2, ENOEXEC: 8,
  ENOMEM: 12, ENOSPC: 28, ENOSYS: 38, ENOTCONN: 107, ENOTDIR: 20, ENOTEMPTY: 39, ENOTSOCK: 88,
  ENOTSUP: 95, ENOTTY: 25, ENXIO: 6, EOPNOTSUPP: 95, EPERM: 1, EPIPE: 32, ERANGE: 34, EROFS: 30,
  ESPIPE: 29, ESRCH: 3, ETIMEDOUT: 110, ETXTBSY: 26, EWOULDBLOCK: 11, EXDEV: 18,
};
const priority = {
  PRIORITY_LOW: 19, PRIORITY_BELOW_NORMAL: 10, PRIORITY_NORMAL: 0,
  PRIORITY_ABOVE_NORMAL: -7, PRIORITY_HIGH: -14, PRIORITY_HIGHEST: -20,
};
const constants = Object.freeze({
  UV_UDP_REUSEADDR: 4,
  dlopen: Object.freeze({ RTLD_LAZY: 1, RTLD_NOW: 2, RTLD_GLOBAL: 256, RTLD_LOCAL: 0, RTLD_DEEPBIND: 8 }),
  errno: Object.freeze(errno),
  signals: Object.freeze(signals),
  priority: Object.freeze(priority),
});

let uname;
function getUname() { return uname || (uname = binding.uname()); }

function cpus() {
  return binding.cpus().map(([model, speed]) => ({ model, speed, times: { user: 0, nice: 0, sys: 0, idle: 0, irq: 0 } }));
}

function networkInterfaces() {
  const out = {};
  for (const [name, address, netmask, family, mac, internal, cidr] of binding.networkInterfaces()) {
    const e = { address, netmask, family, mac, internal, cidr };
    if (family === 'IPv6') e.scopeid = 0;
    (out[name] || (out[name] = [])).push(e);
  }
  return out;
}

function userInfo(options) {
  const u = binding.userInfo();
  if (options && options.encoding === 'buffer' && globalThis.Buffer) {
    for (const k of ['username', 'homedir', 'shell']) if (typeof u[k] === 'string') u[k] = globalThis.Buffer.from(u[k]);
  }
  return u;
}

function setPriority() {}

module.exports = {
  EOL: '\n',
  devNull: '/dev/null',
  constants,
  arch: () => process.arch,
  availableParallelism: () => binding.cpus().length,
  cpus,
  endianness: () => 'LE',
  freemem: () => binding.memory()[1],
  getPriority: (pid = 0) => binding.getPriority(pid),
  homedir: () => binding.homedir(),
  hostname: () => binding.hostname(),
  loadavg: () => binding.loadavg(),
  machine: () => getUname()[3],
  networkInterfaces,
  platform: () => process.platform,
  release: () => getUname()[1],
  setPriority,
  tmpdir: () => binding.tmpdir(),
  totalmem: () => binding.memory()[0],
  type: () => getUname()[0],
  uptime: () => binding.memory()[2],
  userInfo,
  version: () => getUname()[2],
};
