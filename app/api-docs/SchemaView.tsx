import type { JsonSchema } from "@/lib/openapi/document";

const REF = "#/components/schemas/";

function refName(s: JsonSchema): string | null {
  return typeof s.$ref === "string" && s.$ref.startsWith(REF) ? s.$ref.slice(REF.length) : null;
}

/** A one-line type: "string", "integer | null", "array of Evidence", a link for components. */
export function TypeLabel({ schema }: { schema: JsonSchema }) {
  const name = refName(schema);
  if (name) {
    return (
      <a href={`#schema-${name}`} className="text-emerald-800 underline">
        {name}
      </a>
    );
  }
  const variants = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (variants) {
    return (
      <>
        {variants.map((v, i) => (
          <span key={i}>
            {i > 0 && " | "}
            <TypeLabel schema={v} />
          </span>
        ))}
      </>
    );
  }
  if (schema.type === "array" && schema.items) {
    return (
      <>
        array of <TypeLabel schema={schema.items as JsonSchema} />
      </>
    );
  }
  if (Array.isArray(schema.enum)) return <>{(schema.enum as unknown[]).map((e) => JSON.stringify(e)).join(" | ")}</>;
  if (schema.type === "object" && schema.additionalProperties && typeof schema.additionalProperties === "object") {
    return (
      <>
        map of <TypeLabel schema={schema.additionalProperties as JsonSchema} />
      </>
    );
  }
  const type = Array.isArray(schema.type) ? schema.type.join(" | ") : String(schema.type ?? "any");
  return <>{schema.format ? `${type} (${String(schema.format)})` : type}</>;
}

function constraints(s: JsonSchema): string[] {
  const out: string[] = [];
  if (s.minLength !== undefined || s.maxLength !== undefined) out.push(`length ${s.minLength ?? 0}–${s.maxLength ?? "∞"}`);
  if (s.minimum !== undefined || s.maximum !== undefined) out.push(`${s.minimum ?? "−∞"} to ${s.maximum ?? "∞"}`);
  if (s.minItems !== undefined || s.maxItems !== undefined) out.push(`${s.minItems ?? 0}–${s.maxItems ?? "∞"} items`);
  if (typeof s.pattern === "string" && s.pattern.length <= 80) out.push(`pattern ${s.pattern}`);
  if (s.default !== undefined) out.push(`default ${JSON.stringify(s.default)}`);
  return out;
}

/** The nullable variant of a union is shown in the type; the other variant's fields are shown below. */
function expandable(s: JsonSchema): JsonSchema | null {
  if (refName(s)) return null;
  if (s.type === "object" && s.properties) return s;
  if (s.type === "array" && s.items) return expandable(s.items as JsonSchema);
  const variants = (s.anyOf ?? s.oneOf) as JsonSchema[] | undefined;
  if (variants) {
    const objects = variants.map(expandable).filter((v): v is JsonSchema => v !== null);
    return objects.length === 1 ? objects[0] : null;
  }
  return null;
}

/** Fields of an object schema as a nested list; nested objects are shown in place. */
export function SchemaView({ schema, depth = 0 }: { schema: JsonSchema; depth?: number }) {
  const inner = expandable(schema) ?? schema;
  const props = inner.properties as Record<string, JsonSchema> | undefined;
  if (!props || depth > 6) {
    return (
      <p className="font-mono text-xs text-slate-700">
        <TypeLabel schema={schema} />
        {typeof schema.description === "string" && <span className="ml-2 font-sans text-slate-500">{schema.description}</span>}
      </p>
    );
  }
  const required = new Set((inner.required as string[] | undefined) ?? []);
  return (
    <ul className={depth > 0 ? "ml-4 border-l border-slate-200 pl-3" : ""}>
      {Object.entries(props).map(([name, s]) => {
        const nested = expandable(s);
        return (
          <li key={name} className="py-0.5 text-xs">
            <code className="font-semibold text-slate-900">{name}</code>
            {!required.has(name) && <span className="ml-1 text-slate-400">optional</span>}{" "}
            <span className="font-mono text-slate-600">
              <TypeLabel schema={s} />
            </span>
            {constraints(s).length > 0 && <span className="ml-2 text-slate-400">{constraints(s).join(", ")}</span>}
            {typeof s.description === "string" && <span className="ml-2 text-slate-600">— {s.description}</span>}
            {nested && <SchemaView schema={nested} depth={depth + 1} />}
          </li>
        );
      })}
    </ul>
  );
}
