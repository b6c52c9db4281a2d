import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { isIP } from 'node:net';
import forge from 'node-forge';

/** An RSA key pair as PEM (PKCS#8 private key, SPKI public key). */
export interface KeyPairPem {
  readonly privateKeyPem: string;
  readonly publicKeyPem: string;
}

/** Who signs a certificate: a CA's certificate and private key. */
export interface Issuer {
  readonly certPem: string;
  readonly privateKeyPem: string;
}

/** What to put in one certificate. */
export interface CertificateSpec {
  readonly commonName: string;
  readonly keys: KeyPairPem;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** A CA certificate (may sign others) rather than a server certificate. */
  readonly ca?: boolean;
  /** Host names and IP addresses for subjectAltName (server certificates). */
  readonly hosts?: readonly string[];
  /** The signer; self-signed when absent. */
  readonly issuer?: Issuer;
}

/** A fresh RSA-2048 key pair (Node's crypto is much faster than node-forge at this). */
export function newKeyPair(): KeyPairPem {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return { privateKeyPem: privateKey, publicKeyPem: publicKey };
}

/** Builds and signs (SHA-256) one X.509 certificate; returns it as PEM. */
export function issueCertificate(spec: CertificateSpec): string {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(spec.keys.publicKeyPem);
  // A leading 01 keeps the DER integer positive, as RFC 5280 requires.
  cert.serialNumber = `01${randomBytes(15).toString('hex')}`;
  cert.validity.notBefore = spec.notBefore;
  cert.validity.notAfter = spec.notAfter;
  const subject = [
    { shortName: 'CN', value: spec.commonName },
    { shortName: 'O', value: 'Provisim tests' },
  ];
  cert.setSubject(subject);
  const issuerCert = spec.issuer ? forge.pki.certificateFromPem(spec.issuer.certPem) : undefined;
  cert.setIssuer(issuerCert ? issuerCert.subject.attributes : subject);
  cert.setExtensions(extensionsFor(spec, cert, issuerCert));
  signWithNodeCrypto(cert, spec.issuer?.privateKeyPem ?? spec.keys.privateKeyPem);
  return forge.pki.certificateToPem(cert);
}

// node-forge's own RSA signing is pure JavaScript and slow; node:crypto makes the same
// PKCS#1 v1.5 SHA-256 signature over the same to-be-signed bytes natively.
function signWithNodeCrypto(cert: forge.pki.Certificate, privateKeyPem: string): void {
  const placeholder = { sign: () => '' } as unknown as forge.pki.rsa.PrivateKey;
  // Sets the signature algorithm and builds tbsCertificate; only the signature is replaced.
  cert.sign(placeholder, forge.md.sha256.create());
  const tbs = forge.asn1.toDer(cert.tbsCertificate).getBytes();
  const signature = sign('sha256', Buffer.from(tbs, 'binary'), privateKeyPem);
  cert.signature = signature.toString('binary');
}

function extensionsFor(
  spec: CertificateSpec,
  cert: forge.pki.Certificate,
  issuerCert: forge.pki.Certificate | undefined,
): object[] {
  const keyId = cert.generateSubjectKeyIdentifier().getBytes();
  const authorityKeyId = issuerCert ? issuerCert.generateSubjectKeyIdentifier().getBytes() : keyId;
  const common = [
    { name: 'subjectKeyIdentifier', subjectKeyIdentifier: forge.util.bytesToHex(keyId) },
    { name: 'authorityKeyIdentifier', keyIdentifier: authorityKeyId },
  ];
  if (spec.ca) {
    return [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
      ...common,
    ];
  }
  return [
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: (spec.hosts ?? []).map(altName) },
    ...common,
  ];
}

function altName(host: string): { type: number; value?: string; ip?: string } {
  // GeneralName tags: 7 is iPAddress, 2 is dNSName.
  return isIP(host) ? { type: 7, ip: host } : { type: 2, value: host };
}
