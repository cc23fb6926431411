// Jest's node environment hands test code Node's own structuredClone, which builds objects of the
// *outer* realm. oidc-provider clones configuration with structuredClone and then checks
// `value.constructor === Object`, which an outer-realm object fails inside Jest's vm realm. This
// environment rebuilds plain objects and arrays of every clone in the test realm; all other values
// (Dates, typed arrays, Maps…) are returned as Node cloned them.
const { TestEnvironment } = require('jest-environment-node');

class CieTestEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    const outerClone = structuredClone;
    const InnerObject = this.global.Object;
    const InnerArray = this.global.Array;
    const intoTestRealm = (value) => {
      if (Array.isArray(value)) {
        const copy = new InnerArray();
        for (const item of value) copy.push(intoTestRealm(item));
        return copy;
      }
      if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
        const copy = new InnerObject();
        for (const [key, item] of Object.entries(value)) copy[key] = intoTestRealm(item);
        return copy;
      }
      return value;
    };
    this.global.structuredClone = (value, options) => intoTestRealm(outerClone(value, options));
  }
}

module.exports = CieTestEnvironment;
