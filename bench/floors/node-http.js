import { httpFloor } from './http-floor.js';

export default httpFloor('node-http', './node-http-server.js', 'bare node:http returning the mypage JSON');
