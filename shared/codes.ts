/** Every stable error code the agent, the portal and the CLI report. */
export const ERROR_CODES = [
  'LICENSE_UNKNOWN',
  'LICENSE_EXPIRED',
  'LICENSE_REVOKED',
  'PORTAL_UNREACHABLE',
  'TLS_UNTRUSTED',
  'POLICY_INVALID',
  'CORPORATE_ONLY',
  'NOT_A_DIRECT_LINK',
  'IMAGE_AUTH_REQUIRED',
  'IMAGE_NOT_FOUND',
  'DOWNLOAD_FAILED',
  'INSUFFICIENT_DISK_SPACE',
  'CHECKSUM_MISMATCH',
  'ARCHIVE_INVALID',
  'ARCHIVE_UNSAFE',
  'VM_INVALID',
  'REGISTRATION_FAILED',
  'CANCELLED',
  'AGENT_BUSY',
  'USAGE',
  'INTERNAL_ERROR',
  'UNKNOWN_CHANNEL',
  'INVALID_PAYLOAD',
  'LICENSE_KEY_FORMAT',
  'NOT_CONFIGURED',
  'JOB_STATE_CONFLICT',
  'VM_NOT_FOUND',
  'VM_REMOVAL_BLOCKED',
  'VM_RUNNING',
  'VM_NAME_TAKEN',
  'HOST_UNREACHABLE',
  'FOLDER_NOT_WRITABLE',
  'ACCESS_TOKEN_INVALID',
  'PROXY_UNREACHABLE',
  'PROXY_AUTH_REQUIRED',
  'PROXY_TUNNEL_REFUSED',
  'PORTAL_ANSWER_TOO_LARGE',
  'CHECK_IN_THROTTLED',
  'DEVICE_LIMIT_REACHED',
  'DEVICE_KEY_MISMATCH',
  'PARALLELS_NOT_INSTALLED',
  'PARALLELS_NOT_LICENSED',
  'PARALLELS_VM_EXISTS',
  'PARALLELS_REGISTER_FAILED',
  'PARALLELS_COMMAND_FAILED',
  'REPORT_TOO_LARGE',
  'REPORT_INVALID',
  'REPORT_NOT_FOUND',
  'REPORT_THROTTLED',
  'REPORT_IN_PROGRESS',
  'KEEP_BOTH_BLOCKED',
] as const;

/** A stable error code. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** The sentence a user can act on, for each error code. */
export const ERROR_SENTENCES: Readonly<Record<ErrorCode, string>> = {
  LICENSE_UNKNOWN:
    'The portal does not know this license key. Check the key for typos or ask your administrator for a valid one.',
  LICENSE_EXPIRED:
    'This license key has expired. Ask your administrator to renew it or to give you another key.',
  LICENSE_REVOKED:
    'This license key was revoked by your administrator. Ask them for a new key before creating a VM.',
  PORTAL_UNREACHABLE:
    'The management portal cannot be reached. Check the portal URL and your network (VPN), then try again.',
  TLS_UNTRUSTED:
    "The server's TLS certificate is not trusted (unknown issuer, expired, or issued for another host). Ask your administrator, or add your organisation's CA certificate file in Settings.",
  POLICY_INVALID:
    'The policy from the portal is not usable (bad image link or checksum). Ask your administrator to correct the golden image settings.',
  CORPORATE_ONLY:
    'Your organisation allows corporate VMs only, so a VM cannot be created from scratch. Download the corporate VM instead.',
  NOT_A_DIRECT_LINK:
    'The image link leads to a web page, not to the file. The link must be direct; for SharePoint, replace everything after "?" with "download=1".',
  IMAGE_AUTH_REQUIRED:
    'The image server asks for a sign-in. Image links must work without authentication; ask your administrator to share the file publicly or on the VPN.',
  IMAGE_NOT_FOUND:
    'The image file is not at its link (404/410). Ask your administrator to check the golden image download URL.',
  DOWNLOAD_FAILED:
    'The download failed. Check your network and try again; it resumes where it stopped.',
  INSUFFICIENT_DISK_SPACE:
    'There is not enough free disk space for the image and its unpacked VM. Free some space and try again.',
  CHECKSUM_MISMATCH:
    'The downloaded image does not match its SHA-256 checksum, so it was discarded. Ask your administrator to check the file and the checksum in the policy.',
  ARCHIVE_INVALID:
    'The downloaded file is not a readable VM archive (.pvmp tar or zip). Ask your administrator to re-create it with Prepare for Transfer.',
  ARCHIVE_UNSAFE:
    'The archive tries to write outside its folder or holds forbidden entries, so it was refused. Ask your administrator to re-create it.',
  VM_INVALID:
    'The archive does not hold a usable VM for this Mac (missing config.pvs or disk, or another CPU architecture). Ask your administrator for the right image.',
  REGISTRATION_FAILED:
    'The VM could not be registered on this Mac. Check that the VM folder is writable and try again.',
  CANCELLED: 'The job was cancelled before it finished. Start it again when you are ready.',
  AGENT_BUSY:
    'Another Provisim agent is already working with this home folder. Wait for it to finish or use another --home.',
  INTERNAL_ERROR:
    'Provisim hit an unexpected problem. The details are in the logs folder of its home; please report them.',
  USAGE: 'The command was not used correctly. Run it with --help to see its options.',
  UNKNOWN_CHANNEL:
    'The window asked the agent for something it does not know, so nothing was done. Reload the window; if it happens again, report it.',
  INVALID_PAYLOAD:
    'The request to the agent held values it cannot use, so nothing was done. Check what you entered and try again.',
  LICENSE_KEY_FORMAT:
    'This is not a license key. Enter it as your administrator gave it: groups of capital letters and digits joined by dashes, like ACME-ENG-0002.',
  NOT_CONFIGURED: 'Provisim has no license key or portal yet. Open Settings, enter them and save.',
  JOB_STATE_CONFLICT:
    'That is not possible at this step of the job. Wait for the current step to end and try again.',
  VM_NOT_FOUND: 'This VM is not registered any more, or its folder is gone. Refresh the VM list.',
  VM_REMOVAL_BLOCKED:
    'Your organisation does not allow removing its corporate VM. Ask your administrator if it must go.',
  VM_RUNNING: 'This VM is running. Shut it down first (Stop in the VM list), then try again.',
  VM_NAME_TAKEN: 'A VM with this name is already on this Mac. Choose another name.',
  HOST_UNREACHABLE:
    'The Provisim agent behind this window does not answer. Check that it is still running, then reload the page.',
  FOLDER_NOT_WRITABLE:
    'A folder Provisim must write to is read-only or not accessible. Choose another VM folder in Settings, or fix its permissions, then try again.',
  ACCESS_TOKEN_INVALID:
    'This page does not hold the access token of the Provisim agent, so nothing was done. Open the address browser mode printed when it started (it ends in ?token=…); after a restart, use the new one.',
  PROXY_UNREACHABLE:
    'The proxy server cannot be reached. Check the proxy address (Settings, --proxy, or HTTPS_PROXY/HTTP_PROXY) and your network, then try again.',
  PROXY_AUTH_REQUIRED:
    'The proxy asks for a user name and password (407). Give them in the proxy URL, like http://user:password@proxy.example:3128, then try again.',
  PROXY_TUNNEL_REFUSED:
    'The proxy refused to connect to the portal or image server. Ask your administrator to let that host through the proxy, or try again later if the server is down.',
  PORTAL_ANSWER_TOO_LARGE:
    'The management portal sent an answer far larger than a policy can be, so Provisim stopped reading it. Check that the portal URL points at your management portal, or ask your administrator to check the portal.',
  CHECK_IN_THROTTLED:
    'The portal refused too many check-ins with unknown, expired or revoked license keys from your network, so it turns new Macs away for a while. Check the license key, then try again in a few minutes.',
  DEVICE_LIMIT_REACHED:
    "The portal already holds as many Macs as it may, so it cannot add this one. Ask your administrator to raise the portal's device limit.",
  DEVICE_KEY_MISMATCH:
    'The portal knows no Mac with this device id that checked in with this license key, so it refused its events. The agent keeps them and sends them again after its next check-in; if that keeps failing, check the license key.',
  PARALLELS_NOT_INSTALLED:
    "Parallels Desktop's command-line tool prlctl is not on this Mac (or does not answer). Install Parallels Desktop, or choose the simulated backend with --backend simulated or in Settings.",
  PARALLELS_NOT_LICENSED:
    'Parallels Desktop is installed but not activated, so it cannot register VMs. Activate it with your license (Parallels Desktop → Account & License), then try again.',
  PARALLELS_VM_EXISTS:
    'Parallels Desktop already has this VM registered (same UUID or name). Remove or rename the existing VM in Control Center, then try again.',
  PARALLELS_REGISTER_FAILED:
    "Parallels Desktop refused to register the VM. The VM folder was left out of Control Center; see prlctl's message in the agent log, fix the cause (free space, permissions) and try again.",
  PARALLELS_COMMAND_FAILED:
    "A prlctl command failed, so Parallels Desktop did not do what was asked. prlctl's message is in the agent log; check that Parallels Desktop is running, then try again.",
  REPORT_TOO_LARGE:
    'The problem report is larger than the portal accepts, so it was not sent. It is kept on this Mac: send its file to your administrator another way.',
  REPORT_INVALID:
    'The portal received something that is not a problem report (a gzip-compressed tar bundle with a report ID), so it kept nothing. Create the report again with provisim report.',
  REPORT_NOT_FOUND:
    'The portal holds no problem report with this ID for this Mac. Refresh the list of reports.',
  REPORT_THROTTLED:
    'The portal takes no more problem reports from this Mac for now, so this one was not sent. It is kept on this Mac: create and send a report again later.',
  REPORT_IN_PROGRESS:
    'The portal is still receiving another problem report from this Mac, so it did not take this one. It is kept on this Mac: send a report again once the other upload has ended.',
  KEEP_BOTH_BLOCKED:
    'Your organisation allows one corporate VM per user, so the new version cannot be kept beside the previous one. Choose Replace, or Not now to keep the previous version.',
};

/** Process exit codes of the CLI. */
export const EXIT_CODES = {
  OK: 0,
  FAILED: 1,
  USAGE: 2,
  INTERRUPTED: 130,
} as const;

/** A CLI process exit code. */
export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

/** Whether a value is one of the stable error codes. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}
