// The role modules. Each `pages/<role>/routes.js` exports `routes` (see core/router.js) and adds its messages.
// Loaded side by side; a module that fails to load leaves its role's screens out (and says so in the log) rather
// than the whole console.
export const ROLE_MODULES = ['operator', 'provider', 'coordinator', 'mediator', 'supervisor'];

export async function loadRoleRoutes() {
  const loaded = await Promise.allSettled(ROLE_MODULES.map((role) => import(`./${role}/routes.js`)));
  const routes = [];
  const failed = [];
  loaded.forEach((result, i) => {
    if (result.status === 'fulfilled' && Array.isArray(result.value.routes))
      routes.push(...result.value.routes);
    else failed.push(ROLE_MODULES[i]);
  });
  return { routes, failed };
}
