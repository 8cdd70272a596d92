// The role modules. Each `pages/<role>/routes.js` exports `routes` (see core/router.js) and adds its messages. A
// user's browser loads only the modules whose screens their roles may open (an operator never fetches the
// dashboard's charts code), side by side; a module that fails to load leaves its screens out rather than the
// whole console.
/** Module → the roles its routes admit (kept equal to each routes.js's `roles`). */
export const MODULE_ROLES = {
  operator: ['operator', 'supervisor', 'admin'],
  provider: ['provider', 'mediator'],
  coordinator: ['coordinator', 'supervisor', 'admin'],
  mediator: ['mediator'],
  supervisor: ['supervisor', 'admin', 'auditor'],
};

const loaded = new Set();

/** The routes of the modules `roles` need and this page has not loaded yet; names of those that failed. */
export async function loadRoleRoutes(roles) {
  const wanted = Object.keys(MODULE_ROLES).filter(
    (name) => !loaded.has(name) && MODULE_ROLES[name].some((role) => (roles || []).includes(role)),
  );
  const results = await Promise.allSettled(wanted.map((name) => import(`./${name}/routes.js`)));
  const routes = [];
  const failed = [];
  results.forEach((result, i) => {
    if (result.status === 'fulfilled' && Array.isArray(result.value.routes)) {
      routes.push(...result.value.routes);
      loaded.add(wanted[i]);
    } else {
      failed.push(wanted[i]);
    }
  });
  return { routes, failed };
}
