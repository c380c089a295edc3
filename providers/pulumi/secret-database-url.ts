import * as pulumi from '@pulumi/pulumi';

/**
 * The `databaseUrl` input of a resource, as a Pulumi secret, or nothing. The dynamic provider host
 * does not take secrets; the engine then keeps secret every checked input and output whose input
 * was secret, so the URL reaches the state encrypted only.
 */
export function secretDatabaseUrl(url: pulumi.Input<string> | undefined): { databaseUrl?: pulumi.Output<string> } {
  return url === undefined ? {} : { databaseUrl: pulumi.secret(url) };
}
