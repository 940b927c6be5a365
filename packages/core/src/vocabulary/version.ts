/** The version of @jiceng/core (a test holds it equal to package.json). A compiled pack names it. */
export const CORE_VERSION = "0.1.0";
