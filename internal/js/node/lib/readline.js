'use strict';
// node:readline for non-TTY use: createInterface over an input stream,
// 'line' events with \r, \n and \r\n endings (a \r\n split across chunks
// within crlfDelay counts once), question(), prompt(), pause/resume, close,
// async iteration over lines, and the cursor helpers that write ANSI
// sequences. Terminal line editing is not implemented: with terminal: true
// input is still read line by line.

const EventEmitter = require('events');
const { StringDecoder } = require('string_decoder');
const {
  AbortError,
  codes: {
    ERR_INVALID_ARG_TYPE,
    ERR_INVALID_ARG_VALUE,
    ERR_USE_AFTER_CLOSE,
  },
} = require('internal/errors');

const kQuestionCallback = Symbol('_questionCallback');
const kOldPrompt = Symbol('_oldPrompt');
const kPrompt = Symbol('_prompt');
const kDecoder = Symbol('_decoder');
const kLineBuffer = Symbol('_line_buffer');
const kSawReturnAt = Symbol('_sawReturnAt');
const kOnLine = Symbol('_onLine');
const kNormalWrite = Symbol('_normalWrite');
const kWriteToOutput = Symbol('_writeToOutput');
const kLineIterator = Symbol('lineIterator');
const kQuestion = Symbol('kQuestion');
const kQuestionReject = Symbol('kQuestionReject');
const kListeners = Symbol('listeners');
const kQuestionCancel = Symbol('kQuestionCancel');
const kClearLine = Symbol('kClearLine');

const kHistorySize = 30;
const kMincrlfDelay = 100;
const lineEnding = /\r?\n|\r(?!\n)/g;

function validateAbortSignal(signal, name) {
  if (signal !== undefined && (signal === null || typeof signal !== 'object' || !('aborted' in signal))) {
    throw new ERR_INVALID_ARG_TYPE(name, 'AbortSignal', signal);
  }
}

function InterfaceConstructor(input, output, completer, terminal) {
  EventEmitter.call(this);
  let history;
  let historySize;
  let removeHistoryDuplicates = false;
  let crlfDelay;
  let prompt = '> ';
  let signal;
  if (input && input.input) {
    // An options object.
    output = input.output;
    completer = input.completer;
    terminal = input.terminal;
    history = input.history;
    historySize = input.historySize;
    signal = input.signal;
    removeHistoryDuplicates = input.removeHistoryDuplicates;
    if (input.prompt !== undefined) prompt = input.prompt;
    crlfDelay = input.crlfDelay;
    input = input.input;
  }
  if (completer !== undefined && typeof completer !== 'function') {
    throw new ERR_INVALID_ARG_VALUE('completer', completer);
  }
  if (history === undefined) history = [];
  else if (!Array.isArray(history)) throw new ERR_INVALID_ARG_TYPE('history', 'Array', history);
  if (historySize === undefined) historySize = kHistorySize;
  if (typeof historySize !== 'number' || Number.isNaN(historySize) || historySize < 0) {
    throw new ERR_INVALID_ARG_VALUE.RangeError
      ? new ERR_INVALID_ARG_VALUE.RangeError('historySize', historySize)
      : new ERR_INVALID_ARG_VALUE('historySize', historySize);
  }
  if (terminal === undefined && !(output === null || output === undefined)) terminal = !!output.isTTY;
  validateAbortSignal(signal, 'options.signal');

  this.line = '';
  this.cursor = 0;
  this.history = history;
  this.historySize = historySize;
  this.removeHistoryDuplicates = !!removeHistoryDuplicates;
  this.crlfDelay = crlfDelay ? Math.max(kMincrlfDelay, crlfDelay) : kMincrlfDelay;
  this.completer = completer;
  this.terminal = !!terminal;
  this.input = input;
  this.output = output;
  this.closed = false;
  this.paused = false;
  this[kPrompt] = prompt;
  this[kOldPrompt] = prompt;
  this[kQuestionCallback] = null;
  this[kDecoder] = new StringDecoder('utf8');
  this[kLineBuffer] = null;
  this[kSawReturnAt] = 0;

  const self = this;
  function ondata(data) {
    self[kNormalWrite](data);
  }
  function onend() {
    if (typeof self[kLineBuffer] === 'string' && self[kLineBuffer].length > 0) {
      self.emit('line', self[kLineBuffer]);
    }
    self.close();
  }
  function onerror(err) {
    self.emit('error', err);
  }
  this[kListeners] = { ondata, onend, onerror };
  input.on('error', onerror);
  input.on('data', ondata);
  input.on('end', onend);
  this.once('close', () => {
    input.removeListener('data', ondata);
    input.removeListener('error', onerror);
    input.removeListener('end', onend);
  });

  if (signal) {
    const onAborted = () => self.close();
    if (signal.aborted) {
      process.nextTick(onAborted);
    } else {
      signal.addEventListener('abort', onAborted, { once: true });
      self.once('close', () => signal.removeEventListener('abort', onAborted));
    }
  }
  input.resume();
}

Object.setPrototypeOf(InterfaceConstructor.prototype, EventEmitter.prototype);
Object.setPrototypeOf(InterfaceConstructor, EventEmitter);

class Interface extends InterfaceConstructor {
  // eslint-disable-next-line no-useless-constructor
  constructor(input, output, completer, terminal) {
    super(input, output, completer, terminal);
  }

  get columns() {
    if (this.output && this.output.columns) return this.output.columns;
    return Infinity;
  }

  setPrompt(prompt) {
    this[kPrompt] = prompt;
  }

  getPrompt() {
    return this[kPrompt];
  }

  prompt(preserveCursor) {
    if (this.paused) this.resume();
    if (this.closed) throw new ERR_USE_AFTER_CLOSE('readline');
    this[kWriteToOutput](this[kPrompt]);
  }

  question(query, options, cb) {
    cb = typeof options === 'function' ? options : cb;
    if (options === null || typeof options !== 'object') options = {};
    if (options.signal) {
      validateAbortSignal(options.signal, 'options.signal');
      if (options.signal.aborted) return;
      const onAbort = () => {
        this[kQuestionCancel]();
      };
      options.signal.addEventListener('abort', onAbort, { once: true });
      const cleanup = () => options.signal.removeEventListener('abort', onAbort);
      const originalCb = cb;
      cb = typeof cb === 'function' ? (answer) => {
        cleanup();
        return originalCb(answer);
      } : cleanup;
    }
    if (typeof cb === 'function') this[kQuestion](query, cb);
  }

  [kQuestion](query, cb) {
    if (this.closed) throw new ERR_USE_AFTER_CLOSE('readline');
    if (this[kQuestionCallback]) {
      this.prompt();
    } else {
      this[kOldPrompt] = this[kPrompt];
      this.setPrompt(query);
      this[kQuestionCallback] = cb;
      this.prompt();
    }
  }

  [kClearLine]() {
    this[kWriteToOutput]('\r\n');
    this.line = '';
    this.cursor = 0;
  }

  [kWriteToOutput](stringToWrite) {
    if (this.output !== null && this.output !== undefined) this.output.write(stringToWrite);
  }

  close() {
    if (this.closed) return;
    this.pause();
    this.closed = true;
    this.emit('close');
    if (this[kQuestionReject]) {
      this[kQuestionReject](new AbortError('The operation was aborted', { cause: undefined }));
      this[kQuestionReject] = null;
    }
  }

  pause() {
    if (this.paused) return;
    this.input.pause();
    this.paused = true;
    this.emit('pause');
    return this;
  }

  resume() {
    if (!this.paused) return;
    this.input.resume();
    this.paused = false;
    this.emit('resume');
    return this;
  }

  write(d, key) {
    // Node 20 still accepts input written after close().
    if (this.paused) this.resume();
    this[kNormalWrite](d);
  }

  [kOnLine](line) {
    if (this[kQuestionCallback]) {
      const cb = this[kQuestionCallback];
      this[kQuestionCallback] = null;
      this.setPrompt(this[kOldPrompt]);
      cb(line);
    } else {
      this.emit('line', line);
    }
  }

  [kNormalWrite](b) {
    if (b === undefined) return;
    let string = this[kDecoder].write(b);
    if (this[kSawReturnAt] && Date.now() - this[kSawReturnAt] <= this.crlfDelay) {
      if (string.codePointAt(0) === 10) string = string.slice(1);
      this[kSawReturnAt] = 0;
    }
    lineEnding.lastIndex = 0;
    let newPartContainsEnding = lineEnding.exec(string);
    if (newPartContainsEnding !== null) {
      if (this[kLineBuffer]) {
        string = this[kLineBuffer] + string;
        this[kLineBuffer] = null;
        lineEnding.lastIndex = 0;
        newPartContainsEnding = lineEnding.exec(string);
      }
      this[kSawReturnAt] = string.endsWith('\r') ? Date.now() : 0;
      const indexes = [0, newPartContainsEnding.index, lineEnding.lastIndex];
      let nextMatch;
      while ((nextMatch = lineEnding.exec(string)) !== null) {
        indexes.push(nextMatch.index, lineEnding.lastIndex);
      }
      const lastIndex = indexes.length - 1;
      this[kLineBuffer] = string.slice(indexes[lastIndex]);
      for (let i = 1; i < lastIndex; i += 2) {
        this[kOnLine](string.slice(indexes[i - 1], indexes[i]));
        if (this.closed) break;
      }
    } else if (string) {
      if (this[kLineBuffer]) this[kLineBuffer] += string;
      else this[kLineBuffer] = string;
    }
  }

  getCursorPos() {
    const cols = this.columns;
    const strBeforeCursor = this[kPrompt] + this.line.slice(0, this.cursor);
    const rows = Math.floor(strBeforeCursor.length / cols);
    return { rows: Number.isFinite(rows) ? rows : 0, cols: Number.isFinite(cols) ? strBeforeCursor.length % cols : strBeforeCursor.length };
  }

  // Lines as an async iterator; the input is paused while more than 1024
  // lines are waiting, and the iterator ends on 'close'.
  [Symbol.asyncIterator]() {
    if (this[kLineIterator] === undefined) this[kLineIterator] = lineIterator(this);
    return this[kLineIterator];
  }
}

Interface.prototype[kQuestionCancel] = function () {
  if (this[kQuestionCallback]) {
    this[kQuestionCallback] = null;
    this.setPrompt(this[kOldPrompt]);
    this[kClearLine]();
  }
};

function lineIterator(rl) {
  const queue = [];
  const waiting = [];
  let done = false;
  let error = null;
  const highWatermark = 1024;
  let paused = false;
  function online(line) {
    if (waiting.length) {
      waiting.shift().resolve({ value: line, done: false });
      return;
    }
    queue.push(line);
    if (queue.length > highWatermark && !paused) {
      paused = true;
      rl.pause();
    }
  }
  function onclose() {
    done = true;
    cleanup();
    while (waiting.length) waiting.shift().resolve({ value: undefined, done: true });
  }
  function onerror(err) {
    error = err;
    cleanup();
    while (waiting.length) waiting.shift().reject(err);
  }
  function cleanup() {
    rl.removeListener('line', online);
    rl.removeListener('close', onclose);
    rl.removeListener('error', onerror);
  }
  rl.on('line', online);
  rl.on('close', onclose);
  rl.on('error', onerror);
  if (rl.closed) onclose();
  const it = {
    next() {
      if (queue.length) {
        const value = queue.shift();
        if (paused && queue.length < highWatermark / 2) {
          paused = false;
          if (!rl.closed) rl.resume();
        }
        return Promise.resolve({ value, done: false });
      }
      if (error) {
        const e = error;
        error = null;
        done = true;
        return Promise.reject(e);
      }
      if (done) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
    },
    // Leaving the loop stops listening; like Node 20 it does not close
    // the interface.
    return() {
      done = true;
      cleanup();
      return Promise.resolve({ value: undefined, done: true });
    },
    throw(err) {
      done = true;
      cleanup();
      return Promise.reject(err);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
  Object.setPrototypeOf(it, Object.getPrototypeOf(Object.getPrototypeOf(async function* () {}).prototype));
  return it;
}

function createInterface(input, output, completer, terminal) {
  return new Interface(input, output, completer, terminal);
}

// ---- cursor helpers (ANSI escape sequences)

const CSI = (strings, ...args) => {
  let ret = '\x1b[';
  for (let n = 0; n < strings.length; n++) {
    ret += strings[n];
    if (n < args.length) ret += args[n];
  }
  return ret;
};
CSI.kClearToLineBeginning = '\x1b[1K';
CSI.kClearToLineEnd = '\x1b[0K';
CSI.kClearLine = '\x1b[2K';
CSI.kClearScreenDown = '\x1b[0J';

function validateCallback(cb) {
  if (cb !== undefined && typeof cb !== 'function') throw new ERR_INVALID_ARG_TYPE('callback', 'Function', cb);
}

function cursorTo(stream, x, y, callback) {
  if (callback !== undefined) validateCallback(callback);
  if (typeof y === 'function') {
    callback = y;
    y = undefined;
  }
  if (Number.isNaN(x)) throw new ERR_INVALID_ARG_VALUE('x', x);
  if (Number.isNaN(y)) throw new ERR_INVALID_ARG_VALUE('y', y);
  if (stream == null || (typeof x !== 'number' && typeof y !== 'number')) {
    if (typeof callback === 'function') process.nextTick(callback, null);
    return true;
  }
  if (typeof x !== 'number') throw new ERR_INVALID_CURSOR_POS();
  const data = typeof y !== 'number' ? CSI`${x + 1}G` : CSI`${y + 1};${x + 1}H`;
  return stream.write(data, callback);
}

function ERR_INVALID_CURSOR_POS() {
  const { codes } = require('internal/errors');
  return new codes.ERR_INVALID_CURSOR_POS();
}

function moveCursor(stream, dx, dy, callback) {
  validateCallback(callback);
  if (stream == null || !(dx || dy)) {
    if (typeof callback === 'function') process.nextTick(callback, null);
    return true;
  }
  let data = '';
  if (dx < 0) data += CSI`${-dx}D`;
  else if (dx > 0) data += CSI`${dx}C`;
  if (dy < 0) data += CSI`${-dy}A`;
  else if (dy > 0) data += CSI`${dy}B`;
  return stream.write(data, callback);
}

function clearLine(stream, dir, callback) {
  validateCallback(callback);
  if (stream === null || stream === undefined) {
    if (typeof callback === 'function') process.nextTick(callback, null);
    return true;
  }
  const type = dir < 0 ? CSI.kClearToLineBeginning : dir > 0 ? CSI.kClearToLineEnd : CSI.kClearLine;
  return stream.write(type, callback);
}

function clearScreenDown(stream, callback) {
  validateCallback(callback);
  if (stream === null || stream === undefined) {
    if (typeof callback === 'function') process.nextTick(callback, null);
    return true;
  }
  return stream.write(CSI.kClearScreenDown, callback);
}

const kEmitKeypress = Symbol('keypress-decoder');
// emitKeypressEvents: 'keypress' for each character read from stream (no
// escape-sequence parsing).
function emitKeypressEvents(stream, iface = {}) {
  if (stream[kEmitKeypress]) return;
  const decoder = new StringDecoder('utf8');
  stream[kEmitKeypress] = decoder;
  function onData(input) {
    if (stream.listenerCount('keypress') > 0) {
      const string = decoder.write(input);
      for (const ch of string) {
        const key = { sequence: ch, name: undefined, ctrl: false, meta: false, shift: false };
        if (ch === '\r') key.name = 'return';
        else if (ch === '\n') key.name = 'enter';
        else if (ch === '\t') key.name = 'tab';
        else if (ch === '\b' || ch === '\x7f') key.name = 'backspace';
        else if (ch === '\x1b') key.name = 'escape';
        else if (ch === ' ') key.name = 'space';
        else if (ch <= '\x1a' && ch >= '\x01') {
          key.name = String.fromCharCode(ch.charCodeAt(0) + 'a'.charCodeAt(0) - 1);
          key.ctrl = true;
        } else if (/^[0-9A-Za-z]$/.test(ch)) {
          key.name = ch.toLowerCase();
          key.shift = /^[A-Z]$/.test(ch);
        }
        stream.emit('keypress', ch, key);
      }
    } else {
      stream.removeListener('data', onData);
      stream.on('newListener', onNewListener);
    }
  }
  function onNewListener(event) {
    if (event === 'keypress') {
      stream.on('data', onData);
      stream.removeListener('newListener', onNewListener);
    }
  }
  if (stream.listenerCount('keypress') > 0) stream.on('data', onData);
  else stream.on('newListener', onNewListener);
  void iface;
}

module.exports = {
  Interface,
  clearLine,
  clearScreenDown,
  createInterface,
  cursorTo,
  emitKeypressEvents,
  moveCursor,
};

Object.defineProperty(module.exports, 'promises', {
  configurable: true,
  enumerable: true,
  get() {
    return require('readline/promises');
  },
});

// Shared with readline/promises.
Object.defineProperty(module.exports, Symbol.for('gnode.readline.internal'), {
  value: { Interface, kQuestion, kQuestionReject, kQuestionCancel, CSI, validateAbortSignal },
});
