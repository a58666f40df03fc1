import type { Metadata } from "next";
import { openApiDocument, type Method, type Operation } from "@/lib/openapi/document";
import { SchemaView, TypeLabel } from "./SchemaView";
import { TableScroll } from "@/app/components/TableScroll";
import { API_EXAMPLES } from "@/lib/openapi/examples";

export const metadata: Metadata = { title: "API" };

const METHOD_CLASS: Record<Method, string> = {
  get: "bg-sky-100 text-sky-900 border-sky-300",
  post: "bg-emerald-100 text-emerald-900 border-emerald-300",
  delete: "bg-rose-100 text-rose-900 border-rose-300",
};

/** Descriptions mark code with backticks; show it as code. */
function Prose({ text }: { text: string }) {
  return (
    <>
      {text.split("`").map((part, i) =>
        i % 2 === 1 ? (
          <code key={i} className="rounded bg-slate-100 px-1">
            {part}
          </code>
        ) : (
          part
        ),
      )}
    </>
  );
}

function OperationView({ path, method, op }: { path: string; method: Method; op: Operation }) {
  return (
    <article id={op.operationId} className="rounded border border-slate-200 bg-white p-4">
      <h3 className="flex flex-wrap items-center gap-2">
        <span className={`rounded border px-1.5 py-0.5 font-mono text-xs font-semibold uppercase ${METHOD_CLASS[method]}`}>{method}</span>
        <code className="text-sm font-semibold break-all">{path}</code>
        {op.security && <span className="rounded bg-amber-50 px-1.5 py-0.5 text-xs text-amber-900">bearer token</span>}
      </h3>
      <p className="mt-1 text-sm text-slate-800">
        <Prose text={op.summary} />
      </p>
      {op.description && (
        <p className="mt-1 text-sm text-slate-600">
          <Prose text={op.description} />
        </p>
      )}

      {API_EXAMPLES[op.operationId] && (
        <div className="mt-2">
          <h4 className="text-xs font-semibold text-slate-700">Example</h4>
          <pre tabIndex={0} className="mt-1 overflow-x-auto rounded bg-slate-900 p-2 text-xs text-slate-100" data-testid="api-example">
            <code>{API_EXAMPLES[op.operationId]}</code>
          </pre>
        </div>
      )}

      {op.parameters && op.parameters.length > 0 && (
        <TableScroll label={`Parameters of ${method.toUpperCase()} ${path}`}><table className="mt-3 w-full text-left text-xs">
          <thead className="text-slate-500">
            <tr>
              <th className="py-1 pr-3 font-medium">parameter</th>
              <th className="py-1 pr-3 font-medium">in</th>
              <th className="py-1 pr-3 font-medium">type</th>
              <th className="py-1 font-medium">meaning</th>
            </tr>
          </thead>
          <tbody>
            {op.parameters.map((p) => (
              <tr key={`${p.in}:${p.name}`} className="border-t border-slate-100 align-top">
                <td className="py-1 pr-3">
                  <code className="font-semibold">{p.name}</code>
                  {p.required && <span className="ml-1 text-red-700">required</span>}
                </td>
                <td className="py-1 pr-3 text-slate-500">{p.in}</td>
                <td className="py-1 pr-3 font-mono break-all text-slate-600">
                  <TypeLabel schema={p.schema} />
                </td>
                <td className="py-1 text-slate-600">{p.description}</td>
              </tr>
            ))}
          </tbody>
        </table></TableScroll>
      )}

      {op.requestBody && (
        <div className="mt-3">
          <h4 className="text-xs font-semibold text-slate-700">Request body</h4>
          {Object.entries(op.requestBody.content).map(([type, c]) => (
            <div key={type} className="mt-1 text-xs">
              <span className="text-slate-500">{type}: </span>
              <SchemaView schema={c.schema} />
            </div>
          ))}
        </div>
      )}

      <h4 className="mt-3 text-xs font-semibold text-slate-700">Responses</h4>
      <ul className="mt-1 space-y-1 text-xs">
        {Object.entries(op.responses).map(([code, r]) => (
          <li key={code}>
            <code className={`font-semibold ${code.startsWith("2") ? "text-emerald-800" : "text-red-800"}`}>{code}</code>{" "}
            <span className="text-slate-700">{r.description}</span>
            {r.content &&
              Object.entries(r.content).map(([type, c]) => (
                <span key={type} className="ml-2 text-slate-500">
                  {type} <TypeLabel schema={c.schema} />
                </span>
              ))}
          </li>
        ))}
      </ul>
    </article>
  );
}

/** The API reference, rendered from the same OpenAPI document that /api/v1/openapi.json serves. */
export default function ApiDocsPage() {
  const doc = openApiDocument();
  const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
    (Object.entries(item) as [Method, Operation][]).map(([method, op]) => ({ path, method, op })),
  );
  return (
    <div className="space-y-8">
      <header>
        <h1 className="text-2xl font-semibold">{doc.info.title}</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-600">
          <Prose text={doc.info.description} />
        </p>
        <p className="mt-2 text-sm">
          Machine-readable: <a className="text-emerald-800 underline" href="/api/v1/openapi.json">/api/v1/openapi.json</a> (OpenAPI {doc.openapi}, generated from
          the zod schemas the server validates with). The examples use the demo&apos;s modules and kernels; set{" "}
          <code className="rounded bg-slate-100 px-1">BASE=http://localhost:3000</code> (or this server&apos;s address) first.
        </p>
        <nav aria-label="API sections" className="mt-4 flex flex-wrap gap-x-6 gap-y-2 text-sm">
          {doc.tags.map((t) => (
            <a key={t.name} href={`#tag-${t.name}`} className="text-slate-700 underline">
              {t.name}
            </a>
          ))}
          <a href="#schemas" className="text-slate-700 underline">
            schemas
          </a>
        </nav>
      </header>

      {doc.tags.map((t) => {
        const ops = operations.filter((o) => o.op.tags.includes(t.name));
        if (ops.length === 0) return null;
        return (
          <section key={t.name} id={`tag-${t.name}`} aria-labelledby={`tag-${t.name}-title`} className="space-y-3">
            <h2 id={`tag-${t.name}-title`} className="text-lg font-semibold">
              {t.name} <span className="text-sm font-normal text-slate-500">— {t.description}</span>
            </h2>
            {ops.map((o) => (
              <OperationView key={`${o.method} ${o.path}`} {...o} />
            ))}
          </section>
        );
      })}

      <section id="schemas" aria-labelledby="schemas-title" className="space-y-3">
        <h2 id="schemas-title" className="text-lg font-semibold">
          Schemas
        </h2>
        {Object.entries(doc.components.schemas).map(([name, schema]) => (
          <details key={name} id={`schema-${name}`} className="rounded border border-slate-200 bg-white p-3" open={name === "CheckResponse"}>
            <summary className="cursor-pointer font-mono text-sm font-semibold">{name}</summary>
            <div className="mt-2">
              <SchemaView schema={schema} />
            </div>
          </details>
        ))}
      </section>
    </div>
  );
}
