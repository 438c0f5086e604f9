/**
 * The CLI's flag types, derived from the option table in spec.ts, so a flag's name and type are
 * written once: `--mine-pads` is `minePads?: boolean`, `--jobs <n>` parsed by intArg is
 * `jobs?: number`, `--format <f>` with choices is their union, a flag with a default is always set,
 * and `--no-cache` is `cache?: boolean` (false when given). Commander camel-cases names the same way.
 */
import type { OptionSpec } from "./spec.js";

type Camel<S extends string> = S extends `${infer H}-${infer T}` ? `${H}${Capitalize<Camel<T>>}` : S;

/** "--jobs <n>", "-q, --quiet", "--no-cache" -> "jobs", "quiet", "no-cache". */
type LongName<F extends string> = F extends `${string}--${infer Rest}`
  ? Rest extends `${infer N} ${string}`
    ? N
    : Rest
  : never;

type Negated<F extends string> = LongName<F> extends `no-${string}` ? true : false;

type Key<F extends string> = LongName<F> extends `no-${infer N}` ? Camel<N> : Camel<LongName<F>>;

type Value<O extends OptionSpec> = O extends { readonly parse: (...args: never[]) => infer R }
  ? R
  : O extends { readonly choices: readonly (infer C)[] }
    ? C
    : O["flags"] extends `${string}<${string}>${string}`
      ? string
      : boolean;

/** Set whatever the command line says: a default is declared (a negated flag is left optional). */
type Always<O extends OptionSpec> = O extends { readonly default: unknown } ? true : false;

/** The parsed flags of a list of options, as commander hands them to the command. */
export type FlagsOf<T extends readonly OptionSpec[]> = {
  readonly [O in T[number] as Always<O> extends true ? Key<O["flags"]> : never]: Value<O>;
} & {
  readonly [O in T[number] as Always<O> extends true ? never : Key<O["flags"]>]?: Negated<
    O["flags"]
  > extends true
    ? boolean
    : Value<O>;
};
