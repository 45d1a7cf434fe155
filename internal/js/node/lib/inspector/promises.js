'use strict';
// node:inspector/promises: node:inspector with a promise-returning
// Session.post; gnode has no inspector (see inspector.js).

const inspector = require('inspector');

class Session extends inspector.Session {
  async post() {
    return super.post();
  }
}

module.exports = { ...inspector, Session };
