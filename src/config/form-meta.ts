import { type z } from 'zod'
import type { FormField } from '../host/types.js'
import { configSchema, type FieldMeta } from './schema.js'

// The shape of a form field is the host contract's (src/host/types.ts); this file fills it from the schema.

/** Unwraps defaults/preprocessing to find the enum options and the default of a field. */
function inspectField(schema: z.ZodType): { options?: string[]; default?: unknown } {
  let current: unknown = schema
  let defaultValue: unknown
  for (let i = 0; i < 6 && current; i++) {
    const def = (current as { _zod: { def: Record<string, unknown> } })._zod.def
    if (def.type === 'default') {
      defaultValue = typeof def.defaultValue === 'function' ? (def.defaultValue as () => unknown)() : def.defaultValue
      current = def.innerType
    } else if (def.type === 'pipe') {
      current = def.out
    } else if (def.type === 'enum') {
      return { options: Object.values(def.entries as Record<string, string>), default: defaultValue }
    } else {
      break
    }
  }
  return { default: defaultValue }
}

function buildFormMeta(): FormField[] {
  const shape = configSchema.shape
  const fields: FormField[] = []
  for (const [name, schema] of Object.entries(shape) as unknown as Array<[string, z.ZodType]>) {
    const meta = schema.meta() as FieldMeta | undefined
    if (!meta || meta.hidden) continue
    const { options, default: def } = inspectField(schema)
    fields.push({
      name,
      label: meta.label,
      kind: meta.kind,
      ...(options ? { options } : {}),
      required: meta.required === true,
      ...(def !== undefined ? { default: def as string | number | boolean } : {}),
      help: meta.help,
    })
  }
  return fields
}

/** The settings form a host renders, derived from `configSchema` (as OpenList derives its form from struct tags). */
export const formMeta: FormField[] = buildFormMeta()
