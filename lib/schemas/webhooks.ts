import { z } from "zod";
import { WEBHOOK_EVENTS } from "../domain/webhook";
import { kernelVersionString, moduleSlug } from "./ingest";

export const webhookInputSchema = z
  .object({
    url: z.url({ protocol: /^https?$/ }).max(2000),
    /** generated when left out; returned once */
    secret: z.string().min(16).max(200).optional(),
    module: moduleSlug.optional(),
    series: z
      .string()
      .regex(/^(\d+\.\d+(\.\d+)?|next)$/, "a kernel series such as 6.12")
      .optional(),
    kernel: kernelVersionString.optional(),
    events: z.array(z.enum(WEBHOOK_EVENTS)).max(WEBHOOK_EVENTS.length).optional(),
  })
  .strict();
export type WebhookInput = z.infer<typeof webhookInputSchema>;

export const webhookSchema = z.object({
  id: z.int(),
  url: z.string(),
  module: z.string().nullable(),
  series: z.string().nullable(),
  kernel: z.string().nullable(),
  events: z.array(z.string()),
  createdAt: z.string(),
  deliveries: z.object({ pending: z.int(), delivered: z.int(), failed: z.int() }),
});
export type WebhookView = z.infer<typeof webhookSchema>;
