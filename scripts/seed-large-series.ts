/** The 20 series of scripts/seed-large.ts (20 kernels each: 400 kernels), oldest first. */
export const LARGE_SERIES = ["5.4", "5.10", "5.15", "6.1", "6.2", "6.3", "6.4", "6.5", "6.6", "6.7", "6.8", "6.9", "6.10", "6.11", "6.12", "6.13", "6.14", "6.15", "6.16", "6.17"];
