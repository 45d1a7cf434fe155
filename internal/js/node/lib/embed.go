// Package lib embeds gnode's core modules written in JavaScript (see
// docs/ARCHITECTURE.md, "Core modules written in JavaScript").
package lib

import "embed"

// Files holds every lib file: <id>.js is the builtin module <id>, files
// under internal/ are private helpers. A directory of lib files needs its
// pattern here (go:embed rejects a pattern that matches nothing, and "*"
// breaks on the empty directories of work in progress); embed_test.go
// fails when a .js file on disk is not embedded.
//
//go:embed *.js internal/*.js internal/util/*.js internal/streams/*.js internal/webstreams/*.js internal/assert/*.js util/*.js fs/*.js timers/*.js path/*.js stream/*.js assert/*.js readline/*.js test/*.js inspector/*.js dns/*.js
var Files embed.FS
