import { Field, ObjectType } from 'type-graphql';

@ObjectType({
  description:
    'A new TOTP secret (RFC 6238: SHA-1, 6 digits, 30 s) and its recovery codes, shown once. MFA is on only after confirmMfaEnrollment.',
})
export class MfaEnrollment {
  @Field({ description: 'The secret in base32, for typing into an authenticator app.' })
  secret!: string;

  @Field({ description: 'otpauth://totp/… for a QR code an authenticator app scans.' })
  otpauthUrl!: string;

  @Field(() => [String], { description: '10 single-use codes for signing in without the device (each works once, as `otp`).' })
  recoveryCodes!: string[];
}
