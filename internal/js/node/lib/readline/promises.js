'use strict';
// node:readline/promises: an Interface whose question() returns a promise,
// and the Readline class that batches cursor operations.

const readline = require('readline');
const {
  AbortError,
  codes: { ERR_INVALID_ARG_TYPE, ERR_INVALID_ARG_VALUE, ERR_USE_AFTER_CLOSE },
} = require('internal/errors');

const { Interface: BaseInterface, kQuestion, kQuestionReject, kQuestionCancel, CSI, validateAbortSignal } =
  readline[Symbol.for('gnode.readline.internal')];

class Interface extends BaseInterface {
  question(query, options = {}) {
    return new Promise((resolve, reject) => {
      let cb = resolve;
      if (options !== null && typeof options === 'object' && options.signal) {
        validateAbortSignal(options.signal, 'options.signal');
        if (options.signal.aborted) {
          return reject(new AbortError(undefined, { cause: options.signal.reason }));
        }
        const onAbort = () => {
          this[kQuestionCancel]();
          reject(new AbortError(undefined, { cause: options.signal.reason }));
        };
        options.signal.addEventListener('abort', onAbort, { once: true });
        cb = (answer) => {
          options.signal.removeEventListener('abort', onAbort);
          resolve(answer);
        };
      }
      this[kQuestionReject] = reject;
      try {
        this[kQuestion](query, cb);
      } catch (err) {
        reject(err);
      }
    });
  }
}

function createInterface(input, output, completer, terminal) {
  return new Interface(input, output, completer, terminal);
}

const kStream = Symbol('kStream');
const kTodo = Symbol('kTodo');
const kAutoCommit = Symbol('kAutoCommit');

class Readline {
  constructor(stream, options = undefined) {
    if (stream == null || typeof stream.write !== 'function') {
      throw new ERR_INVALID_ARG_TYPE('stream', 'Writable', stream);
    }
    this[kStream] = stream;
    this[kTodo] = [];
    this[kAutoCommit] = !!(options && options.autoCommit);
  }

  cursorTo(x, y = undefined) {
    if (typeof x !== 'number' || !Number.isInteger(x)) throw new ERR_INVALID_ARG_TYPE('x', 'integer', x);
    if (y !== undefined && (typeof y !== 'number' || !Number.isInteger(y))) throw new ERR_INVALID_ARG_TYPE('y', 'integer', y);
    const data = y === undefined ? CSI`${x + 1}G` : CSI`${y + 1};${x + 1}H`;
    return this.#add(data);
  }

  moveCursor(dx, dy) {
    if (dx || dy) {
      let data = '';
      if (dx < 0) data += CSI`${-dx}D`;
      else if (dx > 0) data += CSI`${dx}C`;
      if (dy < 0) data += CSI`${-dy}A`;
      else if (dy > 0) data += CSI`${dy}B`;
      this.#add(data);
    }
    return this;
  }

  clearLine(dir) {
    if (typeof dir !== 'number' || ![-1, 0, 1].includes(dir)) throw new ERR_INVALID_ARG_VALUE('dir', dir);
    const data = dir < 0 ? CSI.kClearToLineBeginning : dir > 0 ? CSI.kClearToLineEnd : CSI.kClearLine;
    return this.#add(data);
  }

  clearScreenDown() {
    return this.#add(CSI.kClearScreenDown);
  }

  commit() {
    return new Promise((resolve) => {
      this[kStream].write(this[kTodo].join(''), resolve);
      this[kTodo] = [];
    });
  }

  rollback() {
    this[kTodo] = [];
    return this;
  }

  #add(data) {
    if (this[kAutoCommit]) process.nextTick(() => this[kStream].write(data));
    else this[kTodo].push(data);
    return this;
  }
}

void ERR_USE_AFTER_CLOSE;
module.exports = { Interface, Readline, createInterface };
