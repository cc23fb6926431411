import { readFileSync } from 'node:fs';

/** One instruction of a Dockerfile: its keyword and the rest of its (continued) line. */
export interface Instruction {
  keyword: string;
  args: string;
}

export interface Stage {
  /** `FROM <image> [AS <name>]` */
  image: string;
  name?: string;
  instructions: Instruction[];
}

/** The Dockerfile's stages, each with its instructions (comments dropped, `\` continuations joined). */
export function readDockerfile(path = 'Dockerfile'): Stage[] {
  const logical = readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .join('\n')
    .replace(/\\\n\s*/g, '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const stages: Stage[] = [];
  for (const line of logical) {
    const [, keyword, args] = /^(\S+)\s+(.*)$/.exec(line) ?? [];
    if (!keyword || args === undefined) throw new Error(`Dockerfile: cannot read "${line}"`);
    if (keyword.toUpperCase() === 'FROM') {
      const [image, as, name] = args.split(/\s+/);
      stages.push({ image: image!, ...(as?.toUpperCase() === 'AS' && name ? { name } : {}), instructions: [] });
    } else {
      stages.at(-1)!.instructions.push({ keyword: keyword.toUpperCase(), args });
    }
  }
  return stages;
}

/** The image that runs: the last stage, with what its instructions set. */
export interface RuntimeImage {
  stage: Stage;
  workdir: string;
  env: Record<string, string>;
  user?: string;
  /** `COPY [--from=<stage>] <source> <destination>` of the last stage, in order. */
  copies: { from?: string; source: string; destination: string }[];
  /** CMD in exec form. */
  cmd: string[];
  /** HEALTHCHECK's command: shell form, run as `/bin/sh -c <command>`. */
  healthcheck: string;
}

export function runtimeImage(stages: Stage[] = readDockerfile()): RuntimeImage {
  const stage = stages.at(-1)!;
  const all = (keyword: string) => stage.instructions.filter((instruction) => instruction.keyword === keyword).map((instruction) => instruction.args);
  const env = Object.fromEntries(all('ENV').flatMap((args) => args.split(/\s+/).map((pair) => {
    const [name, ...value] = pair.split('=');
    if (value.length === 0) throw new Error(`Dockerfile: ENV ${args}: only the NAME=value form is read here`);
    return [name!, value.join('=')];
  })));
  const copies = all('COPY').map((args) => {
    const words = args.split(/\s+/);
    const from = words[0]!.startsWith('--from=') ? words.shift()!.slice('--from='.length) : undefined;
    if (words.length !== 2 || words.some((word) => word.startsWith('--'))) throw new Error(`Dockerfile: COPY ${args}: only "COPY [--from=stage] source destination" is read here`);
    return { ...(from ? { from } : {}), source: words[0]!, destination: words[1]! };
  });
  const healthcheck = /\bCMD\s+(.*)$/.exec(all('HEALTHCHECK').at(-1) ?? '')?.[1];
  if (!healthcheck || healthcheck.startsWith('[')) throw new Error('Dockerfile: HEALTHCHECK … CMD <shell command> expected');
  const user = all('USER').at(-1);
  return {
    stage,
    workdir: all('WORKDIR').at(-1) ?? '/',
    env,
    ...(user ? { user } : {}),
    copies,
    cmd: JSON.parse(all('CMD').at(-1) ?? '[]') as string[],
    healthcheck,
  };
}

/** What the build stage compiles: the tsconfig its `tsc -p` names, that config's `include`, and the build-context paths the stage copies. */
export interface BuildCompilation {
  config: string;
  include: string[];
  copied: string[];
}

export function buildCompilation(stages: Stage[] = readDockerfile()): BuildCompilation {
  const build = stages.find((stage) => stage.name === 'build');
  if (!build) throw new Error('Dockerfile: no stage named build');
  const run = build.instructions.filter((instruction) => instruction.keyword === 'RUN').map((instruction) => /\btsc\s+-p\s+(\S+)/.exec(instruction.args)?.[1]).find(Boolean);
  if (!run) throw new Error('Dockerfile: the build stage runs no `tsc -p <config>`');
  const includeOf = (path: string): string[] => {
    const config = JSON.parse(readFileSync(path, 'utf8')) as { include?: string[]; extends?: string };
    if (config.include) return config.include;
    if (config.extends) return includeOf(config.extends);
    throw new Error(`${path}: no include`);
  };
  const copied = build.instructions.filter((instruction) => instruction.keyword === 'COPY' && !instruction.args.startsWith('--from=')).flatMap((instruction) => instruction.args.split(/\s+/).slice(0, -1));
  return { config: run, include: includeOf(run), copied };
}
