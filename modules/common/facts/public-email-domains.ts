/**
 * Public webmail domains anyone can sign up at. A Cloudflare Access rule "emails ending in @gmail.com" admits every
 * person on earth with a Gmail account, so an allow-list of email domains must not hold one of these.
 */

// Source: curated list, ours (no authoritative public list exists). Picked from the largest consumer mail providers
//   by region, including those common in Korea, Japan, China, Russia and Germany. Add a domain when you find one;
//   a missing domain only means the guard does not catch it.
export const PUBLIC_EMAIL_DOMAINS = [
  // Google
  "gmail.com", "googlemail.com",
  // Microsoft
  "outlook.com", "hotmail.com", "hotmail.co.uk", "hotmail.fr", "live.com", "live.co.uk", "msn.com", "passport.com",
  // Yahoo
  "yahoo.com", "yahoo.co.jp", "yahoo.co.uk", "yahoo.fr", "yahoo.de", "ymail.com", "rocketmail.com",
  // Apple
  "icloud.com", "me.com", "mac.com",
  // AOL / others in the US
  "aol.com", "aim.com", "mail.com", "zoho.com", "zohomail.com", "fastmail.com", "hushmail.com", "tutanota.com", "tuta.io",
  // Proton
  "proton.me", "protonmail.com", "protonmail.ch", "pm.me",
  // GMX / WEB.DE (Germany)
  "gmx.com", "gmx.net", "gmx.de", "gmx.at", "gmx.ch", "web.de",
  // Russia
  "mail.ru", "yandex.ru", "yandex.com", "ya.ru", "rambler.ru",
  // Korea
  "naver.com", "daum.net", "hanmail.net", "kakao.com", "nate.com",
  // China
  "qq.com", "foxmail.com", "163.com", "126.com", "yeah.net", "sina.com", "sohu.com", "aliyun.com",
] as const;

/** Whether `domain` (case-insensitive, with or without a leading "@") is a public webmail domain. */
export function isPublicEmailDomain(domain: string): boolean {
  const d = domain.trim().toLowerCase().replace(/^@/, "").replace(/\.$/, "");
  return (PUBLIC_EMAIL_DOMAINS as readonly string[]).includes(d);
}
