import { fork, type ChildProcess } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { sendToProcess } from "@/lib/http/workers";

// The child says goodbye and exits. While the parent handles the goodbye, it waits long enough for
// the child to be gone, so its channel still looks connected but the next write hits a closed pipe:
// the race that once took the whole `npm start` down when the launcher's stats broadcast met a
// reader that had just been killed.
const dir = mkdtempSync(path.join(tmpdir(), "modcompat-send-"));
const script = path.join(dir, "child.cjs");
writeFileSync(script, 'process.send("bye", () => process.exit(0));\n');
const children: ChildProcess[] = [];
afterAll(() => children.forEach((c) => c.kill("SIGKILL")));

/** Runs `send` on a child that has just exited but whose channel is not closed yet; returns the 'error' events. */
function afterChildExits(send: (child: ChildProcess) => unknown): Promise<{ errors: Error[]; sent: unknown; connectedBefore: boolean }> {
  return new Promise((resolve) => {
    const child = fork(script, [], { stdio: "ignore" });
    children.push(child);
    const errors: Error[] = [];
    child.on("error", (e) => errors.push(e));
    child.once("message", () => {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500); // the child exits meanwhile
      const connectedBefore = child.connected;
      const sent = send(child);
      child.once("exit", () => setTimeout(() => resolve({ errors, sent, connectedBefore }), 50));
    });
  });
}

describe("sendToProcess", () => {
  it("a plain send to a process that just died emits an 'error' event (the hazard)", async () => {
    const { errors, connectedBefore } = await afterChildExits((child) => child.send({ modcompat: "front-stats" }));
    expect(connectedBefore).toBe(true);
    expect(errors.map((e) => (e as NodeJS.ErrnoException).code)).toEqual(["EPIPE"]);
  });

  it("drops the message instead, and emits nothing", async () => {
    const { errors, sent, connectedBefore } = await afterChildExits((child) => sendToProcess(child, { modcompat: "front-stats" }));
    expect(connectedBefore).toBe(true);
    expect(sent).toBe(true);
    expect(errors).toEqual([]);
  });

  it("does not write to a channel already known to be closed", () => {
    let writes = 0;
    const sent = sendToProcess({ isConnected: () => false, send: () => (writes++, true) }, "x");
    expect(sent).toBe(false);
    expect(writes).toBe(0);
  });
});
