/**
 * JUnit XML (the Ant/Surefire dialect every CI writes) → flat test cases, each with the
 * properties of its enclosing test suites and its own (inner ones win). Parsed with fast-xml-parser.
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";

export interface JunitCase {
  /** 0-based position in the document, to name it in errors */
  index: number;
  suite: string;
  classname?: string;
  name: string;
  timeSeconds?: number;
  outcome: "passed" | "failure" | "error" | "skipped";
  /** failure/error message attribute, if any */
  message?: string;
  /** failure/error body, then system-out and system-err */
  text: string;
  timestamp?: string;
  properties: Record<string, string>;
}

type Node = Record<string, unknown>;
const ARRAYS = new Set(["testsuite", "testcase", "property", "failure", "error", "skipped"]);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  textNodeName: "#text",
  parseAttributeValue: false,
  parseTagValue: false,
  trimValues: false,
  processEntities: true,
  // numeric character references (&#8216;) are only decoded with this on
  htmlEntities: true,
  isArray: (name) => ARRAYS.has(name),
});

export class JunitError extends Error {}

const text = (v: unknown): string => {
  if (v === undefined || v === null) return "";
  if (typeof v === "string") return v;
  if (Array.isArray(v)) return v.map(text).join("\n");
  if (typeof v === "object") return text((v as Node)["#text"]);
  return String(v);
};
const attr = (n: Node, a: string): string | undefined => (typeof n[`@${a}`] === "string" ? (n[`@${a}`] as string) : undefined);

function properties(n: Node): Record<string, string> {
  const props = (n.properties as Node | undefined)?.property as Node[] | undefined;
  const out: Record<string, string> = {};
  for (const p of props ?? []) {
    const name = attr(p, "name");
    if (name) out[name] = attr(p, "value") ?? text(p).trim();
  }
  return out;
}

export function parseJunit(xml: string): JunitCase[] {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new JunitError(`not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
  const root = parser.parse(xml) as Node;
  const top = (root.testsuites as Node | undefined) ?? (root.testsuite ? { testsuite: root.testsuite } : undefined);
  if (!top) throw new JunitError("no <testsuites> or <testsuite> root element");
  const out: JunitCase[] = [];
  const walk = (suite: Node, inherited: Record<string, string>, path: string) => {
    const name = attr(suite, "name") ?? "";
    const here = { ...inherited, ...properties(suite) };
    const suitePath = [path, name].filter(Boolean).join(".");
    for (const c of (suite.testcase as Node[] | undefined) ?? []) {
      const failure = (c.failure as Node[] | undefined)?.[0];
      const error = (c.error as Node[] | undefined)?.[0];
      const skipped = (c.skipped as Node[] | undefined)?.[0];
      const problem = failure ?? error;
      const time = Number(attr(c, "time"));
      out.push({
        index: out.length,
        suite: suitePath,
        classname: attr(c, "classname"),
        name: attr(c, "name") ?? "",
        ...(Number.isFinite(time) && attr(c, "time") !== undefined ? { timeSeconds: time } : {}),
        outcome: failure ? "failure" : error ? "error" : skipped ? "skipped" : "passed",
        ...(problem && attr(problem, "message") ? { message: attr(problem, "message") } : skipped && attr(skipped, "message") ? { message: attr(skipped, "message") } : {}),
        text: [text(problem), text(c["system-out"]), text(c["system-err"])].filter((t) => t.trim()).join("\n"),
        timestamp: attr(c, "timestamp") ?? attr(suite, "timestamp"),
        properties: { ...here, ...properties(c) },
      });
    }
    for (const child of (suite.testsuite as Node[] | undefined) ?? []) walk(child, here, suitePath);
  };
  for (const s of (top.testsuite as Node[] | undefined) ?? []) walk(s, properties(top), attr(top, "name") ? "" : "");
  return out;
}
