import * as pulumi from '@pulumi/pulumi';
import { it } from 'vitest';
import { registryProvider } from '../../providers/registry-provider';

it('exp', async () => {
  const provider = registryProvider('Segment');
  const sf = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
  console.log(sf.text);
  const sf2 = await pulumi.runtime.serializeFunction(() => registryProvider('Source'), { isFactoryFunction: true });
  console.log(sf2.text);
});
