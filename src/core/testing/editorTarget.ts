// The workspace the editor tests open: a workdir with a space, a web IDE on the endpoint's host.
export const EDITOR_TARGET = {
  name: 'api',
  workdir: '/home/dev/my project',
  user: 'ws-api',
  webIdeUrl: 'https://ide.example.com/ws/api',
  endpoint: 'https://ide.example.com',
};
