import { describe, expect, it } from 'vitest'
import { MAX_PARTS, partSizeFor, planParts } from '../../src/upload/index.js'

const MiB = 1024 * 1024
const GiB = 1024 * MiB
const TiB = 1024 * GiB

describe('planParts (docs/api-notes.md §6.2, OpenList calPartSize)', () => {
  it('0 B → no parts', () => {
    expect(planParts(0)).toEqual({ partSize: 20 * MiB, count: 0, parts: [] })
  })
  it('1 B → one part of one byte', () => {
    expect(planParts(1)).toEqual({ partSize: 20 * MiB, count: 1, parts: [{ number: 1, start: 0, end: 1 }] })
  })
  it('exactly 20 MiB is one part, 20 MiB + 1 is two', () => {
    expect(planParts(20 * MiB).count).toBe(1)
    const two = planParts(20 * MiB + 1)
    expect(two.count).toBe(2)
    expect(two.parts[1]).toEqual({ number: 2, start: 20 * MiB, end: 20 * MiB + 1 })
  })
  it('128 GiB keeps 20 MiB parts (6 554 parts); 128 GiB + 1 switches tier (5 000 parts)', () => {
    const at = planParts(128 * GiB)
    expect(at.partSize).toBe(20 * MiB)
    expect(at.count).toBe(6554)
    const above = planParts(128 * GiB + 1)
    expect(above.partSize).toBe(27_487_791)
    expect(above.count).toBe(5000)
  })
  it.each([
    [256 * GiB, 27_487_791, 10_000],
    [256 * GiB + 1, 41_231_687, 6667],
    [384 * GiB, 41_231_687, 10_000],
    [384 * GiB + 1, 54_975_582, 7500],
    [512 * GiB, 54_975_582, 10_000],
    [512 * GiB + 1, 82_463_373, 6667],
    [768 * GiB, 82_463_373, 10_000],
    [768 * GiB + 1, 109_951_163, 7500],
    [1 * TiB, 109_951_163, 10_000],
    [1 * TiB + 1, 5 * GiB, 205],
    [40 * TiB, 5 * GiB, 8192],
  ])('size %d → part size %d, %d parts', (size, partSize, count) => {
    const plan = planParts(size)
    expect(plan.partSize).toBe(partSize)
    expect(plan.count).toBe(count)
    expect(partSizeFor(size)).toBe(partSize)
    expect(plan.count).toBeLessThanOrEqual(MAX_PARTS)
    const last = plan.parts[plan.parts.length - 1]!
    expect(last.end).toBe(size)
    expect(last.number).toBe(count)
  })
  it('parts are contiguous and cover the file exactly', () => {
    const plan = planParts(100, 30)
    expect(plan.parts).toEqual([
      { number: 1, start: 0, end: 30 },
      { number: 2, start: 30, end: 60 },
      { number: 3, start: 60, end: 90 },
      { number: 4, start: 90, end: 100 },
    ])
  })
  it('refuses sizes that would need more than 10 000 parts, and nonsense sizes', () => {
    expect(() => planParts(10_001, 1)).toThrow(/at most 10000/)
    expect(() => planParts(-1)).toThrow(/non-negative/)
    expect(() => planParts(1.5)).toThrow(/non-negative/)
    expect(() => planParts(10, 0)).toThrow(/override/)
  })
})
