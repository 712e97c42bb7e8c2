/** Always send a User-Agent: the server has answered a Java NullPointerException without one (spec §1.2). */
export const USER_AGENT = 'aliyundrive-open/0.1 (+https://www.npmjs.com/package/aliyundrive-open) Node.js'
