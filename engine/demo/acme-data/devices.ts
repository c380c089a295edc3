/** A browser and device of a Marketo lead; its activities all report the same one, as a real person's would. */
export interface DeviceProfile {
  device: string;
  mobile: boolean;
  platform: string;
  userAgent: string;
}
/** The browsers leads use; user agents are real strings so that parsers recognise them. */
export const DEVICES: readonly DeviceProfile[] = [
  {
    device: 'unknown',
    mobile: false,
    platform: 'Windows',
    userAgent:
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  },
  {
    device: 'unknown',
    mobile: false,
    platform: 'Mac OS',
    userAgent:
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  },
  {
    device: 'iPhone',
    mobile: true,
    platform: 'iOS',
    userAgent:
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
  },
  {
    device: 'unknown',
    mobile: false,
    platform: 'Linux',
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0',
  },
];
