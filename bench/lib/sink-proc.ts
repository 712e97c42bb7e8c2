/** Starts bench/children/sink.ts (a discarding HTTP server in its own process) and returns its URL. */
import { startService } from './proc.js'

export async function startSink(): Promise<{ url: string; stop: () => Promise<void> }> {
  const { ready, stop } = await startService<{ port: number }>('sink')
  return { url: `http://127.0.0.1:${ready.port}/sink`, stop }
}
