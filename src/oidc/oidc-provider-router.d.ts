// oidc-provider ships its router without type declarations; route-match.ts uses only these members.
declare module 'oidc-provider/lib/helpers/router.js' {
  export default class Router {
    get(name: string, path: string, ...middleware: Array<(...args: never[]) => unknown>): this;
    post(name: string, path: string, ...middleware: Array<(...args: never[]) => unknown>): this;
    match(method: string, path: string): { route: unknown; params: Record<string, string> } | undefined;
  }
}
