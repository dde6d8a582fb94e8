import { Fn } from 'aws-cdk-lib';
import { type ISecurityGroup, type ISubnet, type IVpc, SecurityGroup, Subnet, Vpc } from 'aws-cdk-lib/aws-ec2';
import type { Construct } from 'constructs';
import type { ResolvedDiscoverySettings } from './discovery-settings.ts';

export interface DiscoveryNetwork {
  vpc: IVpc;
  subnets: ISubnet[];
  securityGroups: ISecurityGroup[];
}

/**
 * The imported VPC and subnets the functions run in, when settings.vpc is set: with the security
 * groups given, or one the functions share that allows outbound traffic only.
 */
export const discoveryNetwork = (scope: Construct, vpcSettings: ResolvedDiscoverySettings['vpc']): DiscoveryNetwork | undefined => {
  if (!vpcSettings) return undefined;
  const vpc = Vpc.fromVpcAttributes(scope, 'Vpc', { vpcId: vpcSettings.vpcId, availabilityZones: Fn.getAzs() });
  return {
    vpc,
    subnets: vpcSettings.subnetIds.map((subnetId) => Subnet.fromSubnetId(scope, subnetId, subnetId)),
    securityGroups: vpcSettings.securityGroupIds?.map((groupId) =>
      SecurityGroup.fromSecurityGroupId(scope, groupId, groupId, { mutable: false }),
    ) ?? [new SecurityGroup(scope, 'FunctionsSecurityGroup', { vpc, description: 'matcher-discovery functions: outbound only' })],
  };
};
