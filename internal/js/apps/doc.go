// Package apps holds the real-applications suite: unmodified npm frameworks
// (Express 4 and 5, Koa, Fastify, ws, socket.io, axios, node-fetch, pg)
// installed with gnode from the configured registry, run under gnode and
// under node, driven by real HTTP and WebSocket clients, and compared.
//
// The package has no code of its own; everything is in apps_test.go and
// testdata/. Apps that do not work under gnode yet are listed in
// knownFailures (and in docs/COMPATIBILITY.md) and skipped with the reason.
package apps
