// How schema.ts declares a variable and a group of them. A variable's value type comes from its
// kind, widened with `undefined` when it has no default: Config's type is derived from these.
import type { Kind, NodeEnv, ParseContext, Parsed } from './kinds';

/** An older name of a variable: setting it stops the start, so no setting is silently ignored. */
export interface FormerName {
  readonly name: string;
  /** The unit its bare numbers were in ("ms"): the error shows the same setting in the new form. */
  readonly unit?: string;
}

interface Declaration<T> {
  /** The environment variable. */
  readonly name: string;
  readonly kind: Kind<T>;
  /** One paragraph: what it does, and what a bad or risky value does. */
  readonly description: string;
  readonly formerly?: FormerName;
  /** Set to an empty value, it is read as empty (a list of none) instead of counting as unset. */
  readonly emptyIsValue?: boolean;
}

interface WithDefault<T> extends Declaration<T> {
  /** The default, written as in the environment (the reference shows it as it is). */
  readonly default: string;
  /** Another default under some NODE_ENV values. */
  readonly defaultIn?: Partial<Record<NodeEnv, string>>;
}

interface WithoutDefault<T> extends Declaration<T> {
  /** What leaving it unset means (its value is then undefined). */
  readonly unset: string;
  /** With NODE_ENV=production, unset stops the start. */
  readonly requiredInProduction?: boolean;
}

/** One declared variable. */
export interface Variable<T> {
  readonly name: string;
  /** The accepted form and range. */
  readonly form: string;
  readonly description: string;
  /** The default's text outside `defaultIn`; undefined when the variable has none. */
  readonly default: string | undefined;
  readonly defaultIn: Partial<Record<NodeEnv, string>>;
  /** What unset means, for a variable without a default. */
  readonly unset: string | undefined;
  readonly requiredInProduction: boolean;
  readonly formerly: FormerName | undefined;
  /** Set to an empty value, it is read as empty rather than as unset. */
  readonly emptyIsValue: boolean;
  /** True when an error must not repeat the value. */
  readonly hidden: boolean;
  /** The default's text under `nodeEnv`, undefined when there is none. */
  defaultFor(nodeEnv: NodeEnv): string | undefined;
  /** Reads the variable's text (undefined when unset) under `nodeEnv`. */
  read(text: string | undefined, nodeEnv: NodeEnv, context: ParseContext): Parsed<T>;
  /** What to carry on with after a refusal, so the other variables are still checked: the default. */
  fallback(nodeEnv: NodeEnv, context: ParseContext): T;
}

/** Declares a variable: with a default its value is always set, without one it may be undefined. */
export function variable<T>(declaration: WithDefault<T>): Variable<T>;
export function variable<T>(declaration: WithoutDefault<T>): Variable<T | undefined>;
export function variable<T>(declaration: WithDefault<T> | WithoutDefault<T>): Variable<T | undefined> {
  const withDefault = 'default' in declaration ? declaration : undefined;
  const defaultIn = withDefault?.defaultIn ?? {};
  const defaultFor = (nodeEnv: NodeEnv) => defaultIn[nodeEnv] ?? withDefault?.default;
  const read = (text: string | undefined, nodeEnv: NodeEnv, context: ParseContext): Parsed<T | undefined> => {
    const effective = text ?? defaultFor(nodeEnv);
    return effective === undefined ? { ok: true, value: undefined } : declaration.kind.parse(effective, context);
  };
  return {
    name: declaration.name,
    form: declaration.kind.form,
    description: declaration.description,
    default: withDefault?.default,
    defaultIn,
    unset: 'unset' in declaration ? declaration.unset : undefined,
    requiredInProduction: 'requiredInProduction' in declaration ? declaration.requiredInProduction === true : false,
    formerly: declaration.formerly,
    emptyIsValue: declaration.emptyIsValue === true,
    hidden: declaration.kind.hidden === true,
    defaultFor,
    read,
    fallback(nodeEnv, context) {
      const value = read(undefined, nodeEnv, context);
      if (!value.ok) throw new Error(`the default of ${declaration.name} is refused by its own kind: ${value.reason}`);
      return value.value;
    },
  };
}

export type Variables = Readonly<Record<string, Variable<unknown>>>;

/** Variables of one concern, shown together in the reference and read as one object. */
export interface Group<V extends Variables> {
  /** The reference's heading for them. */
  readonly title: string;
  /** One paragraph on what they govern together. */
  readonly about: string;
  readonly variables: V;
}

/** Declares a group (the identity: it only fixes the variables' types). */
export function group<const V extends Variables>(declaration: Group<V>): Group<V> {
  return declaration;
}

/** The values a group's variables read to, by field. */
export type ValuesOf<V extends Variables> = { readonly [K in keyof V]: V[K] extends Variable<infer T> ? T : never };
