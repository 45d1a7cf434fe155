'use strict';
// trace_events: Tracing objects and the set of enabled categories, with
// Node's argument checks. gnode records no trace events and writes no trace
// file (Node writes one only under --trace-event-categories, which gnode
// does not take): enabling a category changes what getEnabledCategories()
// reports and nothing else.

const {
  codes: { ERR_INVALID_ARG_TYPE, ERR_TRACE_EVENTS_CATEGORY_REQUIRED },
} = require('internal/errors');

// How many enabled Tracing objects name each category.
const enabled = new Map();

function getEnabledCategories() {
  if (enabled.size === 0) return undefined;
  return [...enabled.keys()].sort().join(',');
}

const kCategories = Symbol('categories');
const kEnabled = Symbol('enabled');

class Tracing {
  constructor(categories) {
    this[kCategories] = categories;
    this[kEnabled] = false;
  }

  enable() {
    if (this[kEnabled]) return;
    this[kEnabled] = true;
    for (const c of new Set(this[kCategories])) enabled.set(c, (enabled.get(c) || 0) + 1);
  }

  disable() {
    if (!this[kEnabled]) return;
    this[kEnabled] = false;
    for (const c of new Set(this[kCategories])) {
      const n = enabled.get(c) - 1;
      if (n > 0) enabled.set(c, n);
      else enabled.delete(c);
    }
  }

  get enabled() {
    return this[kEnabled];
  }

  get categories() {
    return this[kCategories].join(',');
  }

  [Symbol.for('nodejs.util.inspect.custom')](depth, options) {
    if (typeof depth === 'number' && depth < 0) return this;
    const { inspect } = require('internal/util/inspect');
    const obj = { enabled: this.enabled, categories: this.categories };
    return `Tracing ${inspect(obj, { ...options, depth: options && options.depth == null ? null : (options ? options.depth - 1 : 1) })}`;
  }
}

function createTracing(options) {
  if (options === null || typeof options !== 'object') throw new ERR_INVALID_ARG_TYPE('options', 'Object', options);
  if (!Array.isArray(options.categories)) {
    throw new ERR_INVALID_ARG_TYPE('options.categories', 'Array', options.categories);
  }
  if (options.categories.length <= 0) throw new ERR_TRACE_EVENTS_CATEGORY_REQUIRED();
  options.categories.forEach((c, i) => {
    if (typeof c !== 'string') throw new ERR_INVALID_ARG_TYPE(`options.categories[${i}]`, 'string', c);
  });
  return new Tracing(options.categories.slice());
}

module.exports = {
  createTracing,
  getEnabledCategories,
};
