import { z } from "zod";

/**
 * The type names of a CopilotKit v1 action parameter (`Parameter["type"]` of
 * `@copilotkit/shared`). Absent means `"string"`.
 */
export type ParameterType =
  | "string"
  | "number"
  | "boolean"
  | "object"
  | "string[]"
  | "number[]"
  | "boolean[]"
  | "object[]";

/**
 * One parameter of a CopilotKit v1 action (`useCopilotAction({ parameters: [...] })`), the same
 * shape as `Parameter` in `@copilotkit/shared`: `required` defaults to `true`, `enum` applies to
 * strings, `attributes` describes the fields of an object or of each object of an array.
 */
export interface Parameter {
  /** The argument's name (a key of the arguments object). */
  name: string;
  /** Its type; default `"string"`. */
  type?: ParameterType;
  /** What it is, for the agent. */
  description?: string;
  /** Default `true`; `false` makes the argument optional. */
  required?: boolean;
  /** The allowed values of a string. */
  enum?: readonly string[];
  /** The fields of an `object` (or of each item of an `object[]`). */
  attributes?: readonly Parameter[];
}

/** The TypeScript type of one v1 parameter. */
type ValueOf<P extends Parameter> = P extends {
  type: "object";
  attributes: infer A extends readonly Parameter[];
}
  ? MappedParameterTypes<A>
  : P extends { type: "object[]"; attributes: infer A extends readonly Parameter[] }
    ? MappedParameterTypes<A>[]
    : P extends { type: "number" }
      ? number
      : P extends { type: "boolean" }
        ? boolean
        : P extends { type: "object" }
          ? Record<string, unknown>
          : P extends { type: "string[]" }
            ? string[]
            : P extends { type: "number[]" }
              ? number[]
              : P extends { type: "boolean[]" }
                ? boolean[]
                : P extends { type: "object[]" }
                  ? Record<string, unknown>[]
                  : P extends { enum: readonly (infer E)[] }
                    ? E
                    : string;

// biome-ignore lint/suspicious/noExplicitAny: untyped arguments, as CopilotKit's `Record<string, any>`.
type LooseArgs = Record<string, any>;

/**
 * The arguments object a handler receives for a v1 parameter list (like `MappedParameterTypes`
 * of `@copilotkit/shared`): required parameters are required keys, `required: false` ones are
 * optional. An empty or unknown list gives `Record<string, any>`.
 */
export type MappedParameterTypes<T extends readonly Parameter[]> = T extends readonly []
  ? LooseArgs
  : number extends T["length"]
    ? LooseArgs
    : { [P in T[number] as P extends { required: false } ? never : P["name"]]: ValueOf<P> } & {
        [P in T[number] as P extends { required: false } ? P["name"] : never]?: ValueOf<P>;
      };

/** A Standard Schema (`~standard`), e.g. a zod schema: what CopilotKit v2 takes as `parameters`. */
export interface StandardSchemaLike<Output = unknown> {
  readonly "~standard": {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (value: unknown) => unknown;
    readonly types?: { readonly input: unknown; readonly output: Output } | undefined;
  };
}

/** True for a Standard Schema (zod 3.24+/4, valibot, arktype ...). */
export function isStandardSchema(value: unknown): value is StandardSchemaLike {
  return (
    (typeof value === "object" || typeof value === "function") &&
    value !== null &&
    "~standard" in value &&
    typeof (value as StandardSchemaLike)["~standard"]?.validate === "function"
  );
}

function parameterSchema(parameter: Parameter): z.ZodType {
  let schema: z.ZodType;
  switch (parameter.type ?? "string") {
    case "number":
      schema = z.number();
      break;
    case "boolean":
      schema = z.boolean();
      break;
    case "object":
      schema = parameter.attributes
        ? parametersToZod(parameter.attributes)
        : z.record(z.string(), z.unknown());
      break;
    case "string[]":
      schema = z.array(z.string());
      break;
    case "number[]":
      schema = z.array(z.number());
      break;
    case "boolean[]":
      schema = z.array(z.boolean());
      break;
    case "object[]":
      schema = z.array(
        parameter.attributes ? parametersToZod(parameter.attributes) : z.record(z.string(), z.unknown()),
      );
      break;
    default:
      schema =
        parameter.enum && parameter.enum.length > 0
          ? z.enum(parameter.enum as [string, ...string[]])
          : z.string();
  }
  if (parameter.description) schema = schema.describe(parameter.description);
  return parameter.required === false ? schema.optional() : schema;
}

/**
 * Converts a CopilotKit v1 parameter list to a zod object schema (what CopilotKit v2's
 * `useFrontendTool` takes): `string` (with `enum`), `number`, `boolean`, `object` (with
 * `attributes`), and the `[]` array forms; `required` defaults to `true`; descriptions are kept,
 * so the JSON schema the agent sees describes every field.
 *
 * @example
 * parametersToZod([{ name: "city", type: "string", description: "City name" }]);
 * // z.object({ city: z.string().describe("City name") })
 */
export function parametersToZod(parameters: readonly Parameter[]): z.ZodObject {
  const shape: Record<string, z.ZodType> = {};
  for (const parameter of parameters) shape[parameter.name] = parameterSchema(parameter);
  return z.object(shape);
}

/**
 * The `parameters` of a tool in the form CopilotKit v2 takes: a Standard Schema is passed on as
 * is, a v1 parameter list is converted with {@link parametersToZod}, nothing gives `undefined`.
 */
export function toToolSchema(
  parameters: readonly Parameter[] | StandardSchemaLike | undefined,
): StandardSchemaLike | undefined {
  if (parameters === undefined) return undefined;
  if (isStandardSchema(parameters)) return parameters;
  if (Array.isArray(parameters)) return parametersToZod(parameters) as unknown as StandardSchemaLike;
  throw new TypeError(
    "AgentStream: `parameters` must be a CopilotKit parameter list (an array) or a Standard Schema such as a zod schema",
  );
}
