// Prisma's WASM schema engine leaves a 10 s setTimeout behind after `migrate deploy`, which keeps
// the process alive for nothing. Unref long timers so the CLI exits when its work is done.
const original = setTimeout;
global.setTimeout = (fn, ms, ...args) => {
  const t = original(fn, ms, ...args);
  if (ms >= 10000 && t && typeof t.unref === "function") t.unref();
  return t;
};
