'use strict';
// node:repl: repl.start() reads lines from its input, evaluates them and
// writes util.inspect of each result to its output, with Node's prompts
// ("> ", "... " while an expression is incomplete), `_` and `_error`,
// "Uncaught ..." for exceptions, top-level await, { ... } read as an
// object literal, and the .break .clear .exit .help .save .load commands.
//
// Differences from Node: code runs in the main context (Node's useGlobal:
// true) rather than in a copy of it, line editing is the terminal's own
// (gnode's readline has no raw-mode editor), and there is no tab completion,
// preview or history file.

const { Interface } = require('readline');
const util = require('util');
const vm = require('vm');
const path = require('path');
const fs = require('fs');

const kBufferedCommand = Symbol('bufferedCommand');
const kContextId = Symbol('contextId');

class Recoverable extends SyntaxError {
  constructor(err) {
    super();
    this.err = err;
  }
}

// isRecoverable tells input that may still become valid (an unclosed
// bracket, template or comment) from a real syntax error: QuickJS reports
// the former at the very end of the input.
function isRecoverable(err, code) {
  if (!(err instanceof SyntaxError)) return false;
  const msg = String(err.message);
  if (/unexpected end of comment/.test(msg)) return true;
  if (/unexpected end of string/.test(msg)) {
    const backticks = (code.match(/(?<!\\)`/g) || []).length;
    return backticks % 2 === 1 || /\\$/.test(code);
  }
  const m = /REPL\d+:(\d+):(\d+)/.exec(String(err.stack));
  if (!m) return false;
  const lines = code.split('\n');
  let offset = +m[2] - 1;
  for (let i = 0; i < +m[1] - 1 && i < lines.length; i++) offset += lines[i].length + 1;
  return offset >= code.trimEnd().length;
}

let replCount = 0;

function defaultWriter(obj) {
  return util.inspect(obj, defaultWriter.options);
}
defaultWriter.options = { ...util.inspect.defaultOptions, showProxy: true };

class REPLServer extends Interface {
  constructor(prompt, stream, evalFn, useGlobal, ignoreUndefined, replMode) {
    let options;
    if (prompt !== null && typeof prompt === 'object') {
      options = { ...prompt };
    } else {
      options = { prompt, stream, eval: evalFn, useGlobal, ignoreUndefined, replMode };
    }
    const input = options.input || options.stream || process.stdin;
    const output = options.output || options.stream || process.stdout;
    const promptText = options.prompt === undefined ? '> ' : String(options.prompt);
    const terminal = options.terminal === undefined ? !!output.isTTY : !!options.terminal;
    super({ input, output, prompt: promptText, terminal, historySize: options.historySize });

    this.useColors = options.useColors === undefined ? terminal : !!options.useColors;
    this.useGlobal = true;
    this.ignoreUndefined = !!options.ignoreUndefined;
    this.replMode = options.replMode || exports.REPL_MODE_SLOPPY;
    this.breakEvalOnSigint = !!options.breakEvalOnSigint;
    this.underscoreAssigned = false;
    this.underscoreErrAssigned = false;
    this.last = undefined;
    this.lastError = undefined;
    this.lines = [];
    this.commands = Object.create(null);
    this.editorMode = false;
    this[kBufferedCommand] = '';
    this[kContextId] = ++replCount;
    this._prompt = promptText;
    this.writer = options.writer || defaultWriter;
    if (this.writer === defaultWriter) defaultWriter.options.colors = this.useColors;
    this.eval = options.eval || defaultEval.bind(this);
    this.context = globalThis;
    this.resetContext();
    defineDefaultCommands(this);

    this.on('line', (line) => this._onLine(line));
    // 'exit' waits for evaluations still running (top-level await).
    this._pendingEvals = 0;
    this.on('close', () => {
      if (this._pendingEvals === 0) this.emit('exit');
      else this._exitPending = true;
    });
    this.on('SIGINT', () => {
      if (this[kBufferedCommand]) {
        this.clearBufferedCommand();
        this.output.write('\n');
        this.displayPrompt();
      } else {
        this.close();
      }
    });
    this.displayPrompt();
  }

  resetContext() {
    const self = this;
    const ctx = this.context;
    // `_` and `_error` hold the last result and error until code assigns
    // them, as in Node.
    for (const [name, flag, key, msg] of [
      ['_', 'underscoreAssigned', 'last', 'Expression assignment to _ now disabled.'],
      ['_error', 'underscoreErrAssigned', 'lastError', 'Expression assignment to _error now disabled.'],
    ]) {
      const d = Object.getOwnPropertyDescriptor(ctx, name);
      if (d && !d.configurable) continue;
      Object.defineProperty(ctx, name, {
        configurable: true,
        get() { return self[flag] ? self[`_${key}Value`] : self[key]; },
        set(v) {
          if (!self[flag]) {
            self[flag] = true;
            self.output.write(`${msg}\n`);
          }
          self[`_${key}Value`] = v;
        },
      });
    }
    this.emit('reset', ctx);
  }

  clearBufferedCommand() {
    this[kBufferedCommand] = '';
  }

  displayPrompt(preserveCursor) {
    let p = this._prompt;
    if (this[kBufferedCommand].length) p = '... ';
    this.setPrompt(p);
    if (!this.closed) this.prompt(preserveCursor);
    else if (this.output && this.output.writable !== false) this.output.write(p);
  }

  defineCommand(keyword, cmd) {
    if (typeof cmd === 'function') cmd = { action: cmd };
    if (!cmd || typeof cmd.action !== 'function') {
      const e = new TypeError('The "cmd.action" property must be of type function.');
      e.code = 'ERR_INVALID_ARG_TYPE';
      throw e;
    }
    this.commands[keyword] = cmd;
  }

  setupHistory(historyPath, cb) {
    if (typeof cb === 'function') process.nextTick(cb, null, this);
  }

  _onLine(line) {
    const cmd = this[kBufferedCommand];
    if (!cmd && /^\s*\.[a-zA-Z]/.test(line) && !/^\s*\.\d/.test(line)) {
      const m = /^\s*\.([^\s]+)\s*(.*)$/.exec(line);
      const c = m && this.commands[m[1]];
      if (c) {
        c.action.call(this, m[2]);
        return;
      }
      this.output.write('Invalid REPL keyword\n');
      this.displayPrompt();
      return;
    }
    const code = cmd ? `${cmd}\n${line}` : line;
    if (!cmd && code.trim() === '') {
      this.displayPrompt();
      return;
    }
    this.lines.push(line);
    const file = `REPL${this[kContextId]}`;
    this._pendingEvals++;
    this.eval(`${code}\n`, this.context, file, (err, result) => {
      this._pendingEvals--;
      this._finishEval(code, err, result);
      if (this._pendingEvals === 0 && this._exitPending) {
        this._exitPending = false;
        this.emit('exit');
      }
    });
  }

  _finishEval(code, err, result) {
    if (err instanceof Recoverable) {
      this[kBufferedCommand] = code;
      this.displayPrompt();
      return;
    }
    this.clearBufferedCommand();
    if (err) {
      this._reportError(err);
    } else if (!(this.ignoreUndefined && result === undefined)) {
      if (!this.underscoreAssigned) this.last = result;
      this.output.write(`${this.writer(result)}\n`);
    }
    this.displayPrompt();
  }

  _reportError(err) {
    if (!this.underscoreErrAssigned) this.lastError = err;
    let text;
    if (err !== null && typeof err === 'object' && typeof err.stack === 'string' && err instanceof Error) {
      const header = `${err.name}: ${err.message}`;
      // Frames of the REPL's own evaluation are noise; frames of functions
      // the user defined in the REPL stay.
      const frames = err.stack.split('\n').filter((l) => /^\s+at /.test(l) &&
        /REPL\d+/.test(l) && !/at (<eval>|<anonymous>) \(REPL\d+/.test(l) && !/^\s+at REPL\d+/.test(l));
      text = [header, ...frames].join('\n');
      const extra = Object.keys(err).filter((k) => !['domain', 'domainThrown'].includes(k));
      if (extra.length) {
        const o = {};
        for (const k of extra) o[k] = err[k];
        text += ` ${util.inspect(o, { colors: this.useColors })}`;
      }
    } else {
      text = util.inspect(err, { colors: this.useColors });
    }
    this.output.write(`Uncaught ${text}\n`);
  }
}

// defaultEval compiles code as a script of the main context; input that
// is incomplete yields Recoverable, top-level await runs in an async
// wrapper whose promise is awaited.
function defaultEval(code, context, file, cb) {
  let source = code;
  // { a: 1 } at the start of a line is an object literal, not a block.
  if (/^\s*\{/.test(code) && /\}\s*$/.test(code) && !/;\s*$/.test(code)) {
    try {
      new vm.Script(`(${code})`, { filename: file });
      source = `(${code})`;
    } catch { /* a block after all */ }
  }
  let script;
  try {
    script = new vm.Script(source, { filename: file });
  } catch (e) {
    if (/\bawait\b/.test(code)) {
      const wrapped = awaitWrapper(code, file);
      if (wrapped) {
        let p;
        try {
          p = wrapped.runInThisContext();
        } catch (err) {
          cb(err);
          return;
        }
        p.then((v) => cb(null, v), (err) => cb(err));
        return;
      }
    }
    if (isRecoverable(e, source)) {
      cb(new Recoverable(e));
      return;
    }
    cb(e);
    return;
  }
  let result;
  try {
    result = script.runInThisContext({ displayErrors: false });
  } catch (e) {
    cb(e);
    return;
  }
  cb(null, result);
}

function awaitWrapper(code, file) {
  const body = code.replace(/\n$/, '');
  for (const src of [`(async () => (${body}\n))()`, `(async () => { ${body}\n })()`]) {
    try {
      return new vm.Script(src, { filename: file });
    } catch { /* try the next form */ }
  }
  return null;
}

function defineDefaultCommands(repl) {
  repl.defineCommand('break', {
    help: 'Sometimes you get stuck, this gets you out',
    action() {
      this.clearBufferedCommand();
      this.displayPrompt();
    },
  });
  repl.defineCommand('clear', {
    help: 'Break, and also clear the local context',
    action() {
      this.clearBufferedCommand();
      this.output.write('Clearing context...\n');
      this.resetContext();
      this.displayPrompt();
    },
  });
  repl.defineCommand('exit', {
    help: 'Exit the REPL',
    action() {
      this.close();
    },
  });
  repl.defineCommand('help', {
    help: 'Print this help message',
    action() {
      const names = Object.keys(this.commands).sort();
      const width = Math.max(...names.map((n) => n.length));
      for (const n of names) {
        const h = this.commands[n].help || '';
        this.output.write(`.${n}${' '.repeat(width - n.length + 3)}${h}\n`);
      }
      this.output.write('\nPress Ctrl+C to abort current expression, Ctrl+D to exit the REPL\n');
      this.displayPrompt();
    },
  });
  repl.defineCommand('save', {
    help: 'Save all evaluated commands in this REPL session to a file',
    action(file) {
      try {
        fs.writeFileSync(path.resolve(file), `${this.lines.join('\n')}\n`);
        this.output.write(`Session saved to: ${file}\n`);
      } catch {
        this.output.write(`Failed to save: ${file}\n`);
      }
      this.displayPrompt();
    },
  });
  repl.defineCommand('load', {
    help: 'Load JS from a file into the REPL session',
    action(file) {
      let data;
      try {
        data = fs.readFileSync(path.resolve(file), 'utf8');
      } catch {
        this.output.write(`Failed to load: ${file}\n`);
        this.displayPrompt();
        return;
      }
      this.eval(data, this.context, `REPL${this[kContextId]}`, (err, v) => {
        if (err) this._reportError(err);
        else if (v !== undefined) this.output.write(`${this.writer(v)}\n`);
        this.displayPrompt();
      });
    },
  });
  repl.defineCommand('editor', {
    help: 'Enter editor mode',
    action() {
      this.output.write('// .editor is not available in gnode: type the code line by line\n');
      this.displayPrompt();
    },
  });
}

function start(prompt, source, evalFn, useGlobal, ignoreUndefined, replMode) {
  return new REPLServer(prompt, source, evalFn, useGlobal, ignoreUndefined, replMode);
}

exports.start = start;
exports.writer = defaultWriter;
exports.REPLServer = REPLServer;
exports.REPL_MODE_SLOPPY = Symbol('repl-sloppy');
exports.REPL_MODE_STRICT = Symbol('repl-strict');
exports.Recoverable = Recoverable;
exports.builtinModules = require('module').builtinModules.filter((m) => !m.startsWith('_'));
// _builtinLibs is Node's older name for the same list (the built-ins a
// REPL exposes as globals): Node's has wasi, which gnode cannot load.
exports._builtinLibs = exports.builtinModules;
