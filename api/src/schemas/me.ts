import { Type } from 'typebox';
import { Category, Email, Locale, Nullable, Obj, Role, Uuid } from './common.js';

export const MeSchema = Obj({
  id: Uuid,
  role: Role,
  displayName: Type.String(),
  email: Nullable(Email),
  locale: Locale,
  programme: Obj({ id: Uuid, name: Type.String(), cityPassName: Type.String() }),
  household: Nullable(Obj({ id: Uuid, name: Type.String(), postcode: Type.String(), buurt: Nullable(Type.String()) })),
  organisation: Nullable(Obj({ id: Uuid, name: Type.String() })),
  customerCategory: Nullable(Category),
});

export const SessionSchema = Obj({
  accessToken: Type.String(),
  refreshToken: Type.String(),
  expiresIn: Type.Integer({ description: 'Seconds the access token is valid' }),
  deviceToken: Type.String({ description: 'Send back as X-Device-Token on later logins of this account' }),
  user: MeSchema,
});
