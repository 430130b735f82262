// Where an Azure resource lives. Every Azure construct takes these two props.
import type { PropProblems } from '../../core/validation.js';

export interface Placement {
  /** Resource group that holds the construct's resources. */
  readonly resourceGroupName: string;
  /** Azure location, e.g. `westeurope`. */
  readonly location: string;
}

/** Checks the placement props: a resource group name and a location such as `westeurope`. */
export function checkPlacement(p: PropProblems, props: Placement): PropProblems {
  return p
    .matches(
      'resourceGroupName',
      props.resourceGroupName,
      /^[\w().-]{0,89}[\w()-]$/,
      'a resource group name (1-90 letters, digits, _ . ( ) -, not ending in .)',
    )
    .matches('location', props.location, /^[a-z][a-z0-9]*$/, 'an Azure location in lowercase without spaces, such as westeurope');
}
