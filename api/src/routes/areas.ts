import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { programmes } from '@buurtservice/db';
import { normalisePostcode } from '@buurtservice/shared';
import { appError } from '../errors.js';
import { Nullable, Obj, PostcodeInput, Uuid } from '../schemas/common.js';

export const AreaMatch = Obj({
  programme: Obj({ id: Uuid, name: Type.String(), cityPassName: Type.String() }),
  buurt: Nullable(Type.String()),
});

export const areaRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/areas/lookup', {
    config: { access: 'public' },
    schema: {
      tags: ['registration'],
      summary: 'Which programme serves a postcode',
      querystring: Obj({ postcode: PostcodeInput }),
      response: { 200: AreaMatch },
    },
  }, async (request) => {
    const postcode = normalisePostcode(request.query.postcode);
    if (!postcode) throw appError('postcode_invalid');
    const area = await programmes.findAreaForPostcode(app.db, postcode);
    if (!area) throw appError('postcode_outside_area');
    return { programme: { id: area.programmeId, name: area.programmeName, cityPassName: area.cityPassName }, buurt: area.buurtName };
  });
};
