/**
 * nginx `proxy_pass` as the reference proxy: Debian's nginx, started on a loopback port with a config generated under
 * the bench folder (buffers of 256 KiB, nothing buffered to disk), forwarding every request's path and query to one
 * origin. Its CPU time is read from /proc (master and workers), in seconds.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { createServer, type AddressInfo } from 'node:net'
import { join } from 'node:path'
import { sleep } from './measure.js'

export const NGINX = process.env.BENCH_NGINX ?? '/usr/sbin/nginx'

export interface Nginx {
  url: string
  /** User + system CPU seconds of the master and its workers so far. */
  cpuSeconds: () => Promise<number>
  stop: () => Promise<void>
}

/** A free loopback port (nginx cannot report the one it got for port 0). */
async function freePort(): Promise<number> {
  const s = createServer()
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r))
  const { port } = s.address() as AddressInfo
  await new Promise((r) => s.close(r))
  return port
}

/** undefined when nginx is not installed (the caller prints that and skips the row). */
export async function startNginx(dir: string, origin: string): Promise<Nginx | undefined> {
  if (!existsSync(NGINX)) return undefined
  const root = join(dir, 'nginx')
  await mkdir(join(root, 'tmp'), { recursive: true })
  const port = await freePort()
  const upstream = new URL(origin)
  const conf = join(root, 'nginx.conf')
  await writeFile(
    conf,
    `worker_processes 1;
daemon off;
pid ${root}/nginx.pid;
error_log ${root}/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${root}/tmp/body;
  proxy_temp_path ${root}/tmp/proxy;
  fastcgi_temp_path ${root}/tmp/fastcgi;
  uwsgi_temp_path ${root}/tmp/uwsgi;
  scgi_temp_path ${root}/tmp/scgi;
  upstream origin { server ${upstream.host}; keepalive 4; }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://origin;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host ${upstream.host};
      proxy_buffering on;
      proxy_buffer_size 256k;
      proxy_buffers 8 256k;
      proxy_busy_buffers_size 512k;
      proxy_max_temp_file_size 0;
    }
  }
}
`,
  )
  const child: ChildProcess = spawn(NGINX, ['-p', root, '-c', conf, '-e', join(root, 'error.log')], {
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  const url = `http://127.0.0.1:${port}`
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`nginx exited (${child.exitCode}); see ${root}/error.log`)
    try {
      await fetch(`${url}/`, { method: 'HEAD' })
      break
    } catch {
      if (i > 50) throw new Error('nginx did not start listening within 5 s')
      await sleep(100)
    }
  }
  console.log(
    `[bench] started ${NGINX} (proxy_pass to ${origin}, buffers 8×256k, no temp files) on ${url}, config ${conf}`,
  )
  return {
    url,
    cpuSeconds: () => cpuOfTree(child.pid!),
    stop: async () => {
      if (child.exitCode !== null) return
      const exited = new Promise((r) => child.once('exit', r))
      child.kill('SIGQUIT')
      await exited
    },
  }
}

/** utime + stime (fields 14 and 15 of /proc/<pid>/stat, in clock ticks of 1/100 s) of pid and its children. */
async function cpuOfTree(pid: number): Promise<number> {
  let ticks = 0
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    let stat: string
    try {
      stat = await readFile(`/proc/${entry}/stat`, 'utf8')
    } catch {
      continue
    }
    // The command name (field 2) may hold spaces: the fields after it start past the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const ppid = Number(fields[1])
    if (Number(entry) === pid || ppid === pid) ticks += Number(fields[11]) + Number(fields[12])
  }
  return ticks / 100
}
