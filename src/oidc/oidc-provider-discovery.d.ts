// oidc-provider ships its discovery action without type declarations; discovery-metadata.ts calls it.
declare module 'oidc-provider/lib/actions/discovery.js' {
  export default function discovery(ctx: { oidc: object; body?: unknown }): void;
}
